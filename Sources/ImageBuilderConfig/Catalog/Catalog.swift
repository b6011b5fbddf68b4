public import ImageBuilderBasics

/// The OS catalog: every `images/*.json`, in file-name order.
package struct Catalog: Sendable {
    package let layout: RepoLayout
    package let systems: [OSEntry]

    package init(layout: RepoLayout, systems: [OSEntry]) {
        self.layout = layout
        self.systems = systems
    }

    /// Reads every OS file of `images/`, checking each; all problems are reported together.
    package static func load(_ layout: RepoLayout, loader: VarFileLoader) throws(ErrorList) -> Catalog {
        let directory = layout.imagesDirectory
        // Ordered by OS name (byte order), so "ubuntu-2204" comes before "ubuntu-2204-efi".
        let names = (FileReader.list(directory) ?? []).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
            .sorted { Array($0.dropLast(5).utf8).lexicographicallyPrecedes(Array($1.dropLast(5).utf8)) }
        guard !names.isEmpty else { throw ErrorList([CatalogError.noOperatingSystems(directory: layout.display(directory))]) }
        var systems: [OSEntry] = []
        var errors: [any UserFacingError] = []
        for fileName in names {
            let path = directory + "/" + fileName
            let display = layout.display(path)
            let name = String(fileName.dropLast(5))
            guard isValidName(name) else {
                errors.append(CatalogError.invalidOSName(file: display))
                continue
            }
            do {
                _ = try loader.load(path, origin: "the OS catalog")
                let (json, _) = try loader.loadJSON(path, origin: "the OS catalog")
                systems.append(try OSEntry(name: name, file: path, json: json, displayPath: display))
            } catch let error as CatalogError {
                errors.append(error)
            } catch let error as ConfigError {
                errors.append(error)
            } catch {
                errors.append(InternalError("\(error)"))
            }
        }
        guard errors.isEmpty else { throw ErrorList(errors) }
        return Catalog(layout: layout, systems: systems)
    }

    /// Lowercase letters, digits and inner hyphens only.
    package static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("-") && !name.hasSuffix("-") && name != "all"
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    package func system(named name: String) -> OSEntry? { systems.first { $0.name == name } }

    /// The OSes of one family, in catalog order.
    package func systems(in family: Family) -> [OSEntry] { systems.filter { $0.supports(family) } }
}
