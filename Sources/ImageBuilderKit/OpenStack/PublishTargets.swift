public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPlanning

#if canImport(Glibc)
    import Glibc
#endif

/// `publish-node-ova-openstack-<os|all>` (and OpenNebula's `export-`/`publish-node-ova-opennebula-`):
/// the OVAs the builds of that OS left in `output/`, where its plans put them (so
/// `output_directory` in a var file is followed). An OS built by several families gives its newest OVA.
package enum PublishTargets {
    package static let prefix = "publish-node-ova-openstack-"
    package static let openNebulaPrefixes = ["export-node-ova-opennebula-", "publish-node-ova-opennebula-"]
    /// The families whose builds end in an OVA, the usual one first.
    static let families: [Family] = [.vsphere, .vsphereClone, .local, .localVMX]

    package struct Item: Sendable, Equatable {
        package let os: String
        package let ova: String
        /// The build target that made it.
        package let build: String
    }

    package static func names(_ catalog: Catalog, prefix: String = prefix) -> [String] {
        catalog.systems.map { prefix + $0.name } + [prefix + "all"]
    }

    /// The OVAs to publish for `name`; an OS with none is `notBuilt` (for `all`: only when no OS has one).
    package static func resolve(_ name: String, planner: Planner, prefix: String = prefix) throws -> [Item] {
        let names = names(planner.catalog, prefix: prefix)
        guard name.hasPrefix(prefix) else {
            throw CatalogError.unknownTarget(name: name, suggestions: Suggestions.closest(to: name, in: names))
        }
        let os = String(name.dropFirst(prefix.count))
        if os == "all" {
            let items = try planner.catalog.systems.compactMap { try newest(os: $0.name, planner: planner) }
            guard !items.isEmpty else { throw PublishError.notBuilt(target: name, buildTargets: ["build-node-ova-vsphere-all"]) }
            return items
        }
        guard let entry = planner.catalog.system(named: os) else {
            throw CatalogError.unknownTarget(name: name, suggestions: Suggestions.closest(to: name, in: names))
        }
        guard let item = try newest(os: os, planner: planner) else {
            let builds = families.filter(entry.supports).map { Target(family: $0, os: os).name(.build) }
            throw PublishError.notBuilt(target: name, buildTargets: builds)
        }
        return [item]
    }

    static func newest(os: String, planner: Planner) throws -> Item? {
        guard let entry = planner.catalog.system(named: os) else { return nil }
        var best: (Item, Int64)?
        for family in families where entry.supports(family) {
            let target = Target(family: family, os: os)
            let (plan, _) = try planner.plan(target, verb: .build)
            let directory = plan.outputDirectory
            for file in (FileReader.list(directory) ?? []).sorted() where file.hasSuffix(".ova") {
                let path = directory + "/" + file
                var info = stat()
                guard stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
                let mtime = Int64(info.st_mtim.tv_sec)
                if best == nil || mtime > best!.1 { best = (Item(os: os, ova: path, build: target.name(.build)), mtime) }
            }
        }
        return best?.0
    }
}
