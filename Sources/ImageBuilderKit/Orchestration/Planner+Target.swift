extension Planner {
    /// The plan and the resolved variables of one target.
    package func plan(_ target: Target, verb: Verb) throws -> (BuildPlan, ResolvedVariables) {
        guard let os = catalog.system(named: target.os) else { throw InternalError("no OS \(target.os)") }
        let family = target.family
        guard let builder = template.builder(named: family.builder) else {
            throw PackerTemplate.Invalid(path: layout.display(template.path), reason: "no builder named '\(family.builder)'")
        }
        let workDirectory = layout.workRoot + "/\(target.name)-\(BuildPlan.runIDPlaceholder)"
        var vars = ResolvedVariables()
        vars.packerEnvironment = packerEnvironment(workDirectory: workDirectory)
        for variable in template.variables {
            if let value = variable.defaultValue {
                vars.apply(variable.name, Assignment(value: .string(value), source: .templateDefault(template: template.path)))
            }
        }
        // Var files, lowest precedence first (reference/image-builder.md §2.8).
        var files: [(String, VarFileRole, String)] = sharedConfigFiles.map { ($0, .sharedConfig, "packer/config") }
        files += inputs.packerFlags.varFiles.map { ($0, .packerFlags, "PACKER_FLAGS") }
        files.append((layout.commonVarFile, .common, "the repository"))
        files.append((os.file, .os, "the OS catalog"))
        if let familyFile = family.familyVarFile { files.append((layout.root + "/" + familyFile, .family, "the \(family.rawValue) family")) }
        files += inputs.packerVarFiles.map { ($0, .user, "PACKER_VAR_FILES") }
        files += (inputs.osVarFiles[os.name] ?? []).map { ($0, .osOverride, "--var-file \(os.name)=…") }
        var planned: [PlannedVarFile] = []
        var warnings: [String] = []
        for (index, (path, role, origin)) in files.enumerated() {
            let file = try loader.load(path, origin: origin)
            vars.apply(file, role: role)
            let copy = file.needsStringCopy
                ? workDirectory + "/var-files/\(index < 10 ? "0" : "")\(index)-" + Paths.basename(path) : nil
            planned.append(PlannedVarFile(path: path, role: role, stringCopy: copy))
            if file.othersCanRead, !file.secretKeys.isEmpty {
                warnings.append("\(layout.display(path)) sets \(file.secretKeys.joined(separator: ", ")) and is readable by others (chmod 600 it)")
            }
        }
        // -var flags: the user's PACKER_FLAGS, then image-builder's own (reference order).
        var flagItems = inputs.packerFlags.items.map { ("PACKER_FLAGS", $0) }
        flagItems += inputs.appendedFlags(for: verb)
        for (origin, item) in flagItems {
            if case .variable(let key, let value) = item {
                vars.apply(key, Assignment(value: .string(value), source: .commandLine(origin: origin)))
            }
        }
        var extraVars: [(String, String)] = []
        if family == .vsphereClone, !vars.isSet("template") {
            let base = vars.value("base_build_version").isEmpty ? "base-\(vars.value("build_name"))" : vars.value("base_build_version")
            vars.apply("template", Assignment(value: .string(base), source: .orchestrator(reason: "the base VM of \(Target(family: .vsphereBase, os: os.name).name)")))
            extraVars.append(("template", base))
        }
        let consulted = files.map { layout.display($0.0) }
        for variable in template.variables where variable.defaultValue == nil && vars.effective(variable.name) == nil {
            throw ConfigError.requiredVariableUnset(name: variable.name, template: layout.display(template.path), consulted: consulted)
        }
        var missing: [String] = []
        if family.usesVSphere {
            missing = Planner.vSphereSettings.filter { !vars.isSet($0) }
            if !vars.isSet("cluster") && !vars.isSet("host") { missing.insert("cluster or host", at: min(5, missing.count)) }
            if !missing.isEmpty {
                if refusesMissingSettings {
                    throw ConfigError.missingSettings(target: target.name(verb), keys: missing, consulted: consulted)
                }
                warnings.append("vSphere settings empty after layering: \(missing.joined(separator: ", "))"
                    + (verb == .validate ? " (validate fills placeholders)" : ""))
                if verb == .validate {
                    for key in missing.map({ $0 == "cluster or host" ? "cluster" : $0 }) where key != "password" {
                        let value = Planner.validatePlaceholders[key] ?? "placeholder"
                        vars.apply(key, Assignment(value: .string(value), source: .orchestrator(reason: "placeholder for validate")))
                        extraVars.append((key, value))
                    }
                }
            }
        }
        // An http(s) ISO with a sha256 checksum goes through the orchestrator's cache (the
        // simulator profile attaches no ISO).
        let simulated = family.usesVSphere && vars.value("ib_profile") == "simulator"
        var isoDownload: ISODownload?
        if family.bootsFromISO, !simulated, let cached = ISOCache.path(url: vars.value("iso_url"), checksum: vars.value("iso_checksum"), layout: layout) {
            isoDownload = ISODownload(url: vars.value("iso_url"), path: cached)
            vars.apply("iso_url", Assignment(value: .string("file://" + cached), source: .orchestrator(reason: "the ISO cache (keyed by its sha256)")))
            extraVars.append(("iso_url", "file://" + cached))
        }
        // A local ISO (RHEL's DVD is not public) must exist before a build starts.
        let isoURL = vars.value("iso_url")
        if refusesMissingSettings, family.bootsFromISO, !simulated, isoDownload == nil, isoURL.hasPrefix("file://") {
            let path = String(isoURL.dropFirst("file://".count))
            if !FileReader.exists(path) {
                throw ConfigError.fileMissing(path: path, origin: "iso_url of \(os.name), set by \(vars.effective("iso_url")?.source.describe(layout) ?? "?")")
            }
        }
        switch packer {
        case .found: break
        case .notExecutable(let path): warnings.append("PACKER_BIN=\(path) is not an executable file")
        case .notFound: warnings.append("packer not found (PACKER_BIN, .local/bin, PATH); `make deps-ova` installs it")
        }
        let outputVariable = family.isBase ? "base_output_dir" : "output_dir"
        var output = vars.value(outputVariable)
        if output.isEmpty { output = "./output/" + (family.isBase ? "base-\(vars.value("build_name"))" : vars.value("build_version")) }
        var seed: SeedFiles?
        if family.bootsFromISO, !vars.value("ib_seed_dir").isEmpty {
            seed = try SeedFiles.plan(seedDirectory: vars.value("ib_seed_dir"), layout: layout,
                                      workDirectory: workDirectory, osFile: os.file)
        }
        let baseOutput = Paths.absolute(vars.value("base_output_dir").isEmpty ? "./output/base-\(vars.value("build_name"))"
                                            : vars.value("base_output_dir"), relativeTo: layout.root)
        var arguments = argv(verb: verb, builder: family.builder, varFiles: planned, extraVars: extraVars)
        var envNames = packerEnvironmentNames(family: family, verb: verb)
        // The simulator profile (only by its marker, only on 127.0.0.1): a derived template.
        var simulator: SimulatedBuild?
        if simulated {
            guard VSphereSettings.isLoopback(vars.value("vcenter_server")) else {
                throw ConfigError.simulatorProfileNotLoopback(server: vars.value("vcenter_server"), consulted: files.map { layout.display($0.0) })
            }
            let derived = workDirectory + "/packer-node.simulator.json"
            simulator = SimulatedBuild(derivedTemplate: derived, transformations: SimulatorProfile.transformations(builder: family.builder))
            arguments[arguments.count - 1] = derived
        }
        if family.usesVSphere, !vars.value("ib_ca_file").isEmpty { envNames.append("SSL_CERT_FILE") }
        let plan = BuildPlan(
            target: target.name(verb), verb: verb, family: family, os: os.name,
            packer: PackerInvocation(arguments: arguments, workingDirectory: layout.root, environmentNames: envNames,
                                     template: simulator?.derivedTemplate ?? template.path),
            varFiles: planned, builder: family.builder, builderType: builder.type,
            postProcessors: template.postProcessors(for: family.builder), afterPacker: family.afterPacker,
            workDirectory: workDirectory, outputDirectory: Paths.absolute(output, relativeTo: layout.root),
            logFile: layout.logDirectory + "/\(target.name).log", seed: seed, isoDownload: isoDownload,
            sshSecretFile: SSHSecretStore.path(family: family, baseOutputDirectory: baseOutput), missingSettings: missing,
            warnings: warnings, vmName: family.usesVSphere ? vars.value(family.isBase ? "base_build_version" : "build_version") : nil,
            simulator: simulator, sourceTemplate: template.path)
        return (plan, vars)
    }

    /// The shared config files in their fixed order.
    static func sharedConfigFiles(_ layout: RepoLayout) -> [String] {
        let present = Set((FileReader.list(layout.sharedConfigDirectory) ?? []).filter { $0.hasSuffix(".json") })
        let ordered = RepoLayout.sharedConfigOrder.map { $0 + ".json" }.filter(present.contains)
        let others = present.subtracting(ordered).sorted()
        return (ordered + others).map { layout.sharedConfigDirectory + "/" + $0 }
    }
}
