public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker

/// Turns target names and the user's inputs into build plans. Pure: reads files, writes none,
/// starts nothing. Every check that can fail before a build runs happens here.
package final class Planner {
    package let environment: RunEnvironment
    package let layout: RepoLayout
    package let catalog: Catalog
    /// `packer/ova/packer-node.json`; an OS may name another (`ib_template`: Windows).
    package let template: PackerTemplate
    /// Every template the catalog's OS files name, by absolute path.
    let templates: [String: PackerTemplate]
    package let inputs: UserInputs
    package let packer: PackerLocator.Result
    let loader: VarFileLoader
    /// `packer/config/*.json` in their fixed order (the same for every target of a run).
    let sharedConfigFiles: [String]
    /// Refuse (exit 2) when vSphere settings are missing: `build` sets it; `plan`, `explain`
    /// and `validate` only warn.
    package var refusesMissingSettings = false
    /// The run these plans are for, chosen before planning (`<run-id>` when nothing runs).
    package let runID: String

    /// Locates the repo, reads the catalog, the template and the user's inputs.
    /// - Throws: a `UserFacingError` (exit 2) naming the file, key or variable at fault.
    package init(
        environment: RunEnvironment, varFileOptions: [String] = [],
        runID: String = BuildPlan.runIDPlaceholder
    ) throws(ErrorList) {
        self.environment = environment
        self.runID = runID
        let loader = VarFileLoader()
        self.loader = loader
        do {
            layout = try RepoLayout.locate(in: environment)
            inputs = try UserInputs(environment: environment, varFileOptions: varFileOptions)
        } catch { throw ErrorList([error]) }
        catalog = try Catalog.load(layout, loader: loader)
        do {
            var templates: [String: PackerTemplate] = [:]
            let root = layout.root
            let named = catalog.systems.compactMap { entry in entry.template.map { root + "/" + $0 } }
            for path in Set([layout.template] + named).sorted() {
                let (json, _) = try loader.loadJSON(path, origin: "the packer template")
                templates[path] = try PackerTemplate(path: path, json: json, displayPath: layout.display(path))
            }
            self.templates = templates
            template = templates[layout.template]!
        } catch let error as ConfigError {
            throw ErrorList([error])
        } catch let error as PackerError {
            throw ErrorList([error])
        } catch {
            throw ErrorList([InternalError("\(error)")])
        }
        packer = PackerLocator.locate(environment, layout: layout)
        sharedConfigFiles = Planner.sharedConfigFiles(layout)
        for os in inputs.osVarFiles.keys.sorted() where catalog.system(named: os) == nil {
            let names = catalog.systems.map(\.name)
            throw ErrorList([
                CatalogError.unknownOS(
                    name: os, context: "--var-file \(os)=… (or VAR_FILES_\(os))",
                    suggestions: Suggestions.closest(to: os, in: names))
            ])
        }
    }

    /// The template an OS builds with.
    package func template(for os: OSEntry) -> PackerTemplate {
        os.template.flatMap { templates[layout.root + "/" + $0] } ?? template
    }

    /// Resolves names (with or without a verb; `…-all` expands in catalog order) for a command
    /// whose verb is `commandVerb` (nil: any verb, as `plan` takes; default build).
    package func targets(_ names: [String], commandVerb: Verb?) throws(ErrorList) -> [(Verb, Target)] {
        var result: [(Verb, Target)] = []
        var errors: [any UserFacingError] = []
        for name in names {
            do throws(CatalogError) {
                let selector = try TargetSelector.parse(name, catalog: catalog)
                if let commandVerb, let given = selector.verb, given != commandVerb {
                    throw CatalogError.wrongVerb(target: name, expected: commandVerb.rawValue)
                }
                let verb = selector.verb ?? commandVerb ?? .build
                for target in selector.expand(catalog) where !result.contains(where: { $0.0 == verb && $0.1 == target }) {
                    result.append((verb, target))
                }
            } catch {
                errors.append(error)
            }
        }
        guard errors.isEmpty else { throw ErrorList(errors) }
        return result
    }

    /// Plans exactly one target (not an `…-all`), for commands about a single build.
    package func single(_ name: String) throws -> (BuildPlan, ResolvedVariables) {
        let targets = try targets([name], commandVerb: nil)
        guard targets.count == 1, let (verb, target) = targets.first, !name.hasSuffix("-all") else {
            throw CatalogError.notSingle(name: name)
        }
        return try plan(target, verb: verb)
    }

    /// Plans every target; all problems of all targets are reported together. Builds of one
    /// run that run a local VMware VM get VNC port ranges that do not overlap (20 ports each
    /// from 5900), so parallel builds never race for a port.
    package func plans(_ targets: [(Verb, Target)]) throws(ErrorList) -> [BuildPlan] {
        var slots: [Int] = []
        var vncSlot = 0
        for (verb, target) in targets {
            slots.append(vncSlot)
            if verb == .build, target.family == .local || target.family == .localBase { vncSlot += 1 }
        }
        // Each target on its own (the loader's cache is shared and locked), on every core.
        let outcomes = Array(zip(targets, slots)).parallelMap { item -> (BuildPlan?, (any UserFacingError)?) in
            let ((verb, target), slot) = item
            do {
                return (try plan(target, verb: verb, vncSlot: slot).0, nil)
            } catch let error as any UserFacingError {
                return (nil, error)
            } catch {
                return (nil, InternalError("\(error)"))
            }
        }
        let plans = outcomes.compactMap(\.0)
        let errors = outcomes.compactMap(\.1)
        guard errors.isEmpty else { throw ErrorList(errors) }
        return plans
    }

    /// The vSphere connection settings a build needs after layering (`cluster` or `host`).
    package static let vSphereSettings = ["vcenter_server", "username", "password", "datacenter", "datastore", "network"]

    /// Values `validate` fills in for missing vSphere settings so packer can check the rest.
    package static let validatePlaceholders: [String: String] = [
        "vcenter_server": "vcenter.invalid", "username": "placeholder", "password": "placeholder",
        "datacenter": "placeholder-datacenter", "datastore": "placeholder-datastore",
        "cluster": "placeholder-cluster", "network": "placeholder-network",
    ]
}
