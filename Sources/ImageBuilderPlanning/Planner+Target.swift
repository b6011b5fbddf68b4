public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker

extension Planner {
    /// The plan and the resolved variables of one target. `vncSlot`: the build's place among
    /// the run's local VMware builds (each gets its own VNC port range).
    package func plan(_ target: Target, verb: Verb, vncSlot: Int = 0) throws -> (BuildPlan, ResolvedVariables) {
        guard let os = catalog.system(named: target.os) else { throw InternalError("no OS \(target.os)") }
        let family = target.family
        // A bad IB_STALL_TIMEOUT is refused before anything else is looked at.
        let stall = verb == .build ? try StallPolicy.from(environment) : nil
        let template = template(for: os)
        guard let builder = template.builder(named: family.builder) else {
            throw PackerError.invalidTemplate(path: layout.display(template.path), reason: "no builder named '\(family.builder)'")
        }
        let workDirectory = layout.workRoot + "/\(target.name)-\(runID)"
        let layered = try layer(os: os, family: family, verb: verb, workDirectory: workDirectory)
        var vars = layered.variables
        var warnings = layered.warnings
        var extraVars: [(String, String)] = []
        if family == .vsphereClone, !vars.isSet("template") {
            let base = vars.value("base_build_version").isEmpty ? "base-\(vars.value("build_name"))" : vars.value("base_build_version")
            vars.apply(
                "template",
                Assignment(value: .string(base), source: .orchestrator(reason: "the base VM of \(Target(family: .vsphereBase, os: os.name).name)")))
            extraVars.append(("template", base))
        }
        let consulted = layered.files.map { layout.display($0.path) }
        try VariableChecks.check(vars, layout: layout)
        if !vars.value("firmware").isEmpty, !os.firmwares.contains(vars.value("firmware")) {
            throw ConfigError.invalidValue(
                source: vars.effective("firmware")?.source.describe(layout) ?? "firmware", key: "firmware", value: vars.value("firmware"),
                allowed: "what \(os.name) boots with: " + os.firmwares.joined(separator: ", "))
        }
        applyFirmwareBootCommand(&vars, extraVars: &extraVars)
        let qemu = family == .qemu ? try applyQemu(&vars, extraVars: &extraVars) : nil
        if vars.isTrue("vtpm"), !family.usesVSphere {
            throw ConfigError.invalidValue(
                source: vars.effective("vtpm")?.source.describe(layout) ?? "vtpm", key: "vtpm", value: vars.value("vtpm"),
                allowed: "possible for \(target.name(verb)) (a vTPM is added through vCenter: vsphere, vsphere-base and vsphere-clone builds)")
        }
        for (flag, builders) in inputs.packerFlags.builderFilters where builders.contains(family.builder) == (flag == "-except") {
            throw ConfigError.builderExcluded(flag: flag + "=" + builders.joined(separator: ","), builder: family.builder, target: target.name(verb))
        }
        for variable in template.variables where variable.defaultValue == nil && vars.effective(variable.name) == nil {
            throw ConfigError.requiredVariableUnset(name: variable.name, template: layout.display(template.path), consulted: consulted)
        }
        let missing = try checkVSphereSettings(
            family: family, verb: verb, target: target, vars: &vars, extraVars: &extraVars,
            warnings: &warnings, consulted: consulted)
        // An http(s) ISO with a checksum goes through the orchestrator's cache (the simulator
        // profile attaches no ISO).
        let simulated = family.usesVSphere && vars.value("ib_profile") == "simulator"
        var isoDownload: ISODownload?
        // (Under the simulator profile only an ISO on loopback is fetched, for the datastore cache.)
        if family.bootsFromISO, !simulated || VSphereSettings.isLoopback(Self.host(of: vars.value("iso_url"))),
            vars.value("iso_datastore_path").isEmpty,
            let cached = ISOCache.plan(url: vars.value("iso_url"), checksum: vars.value("iso_checksum"), layout: layout)
        {
            isoDownload = cached
            vars.apply(
                "iso_url", Assignment(value: .string("file://" + cached.path), source: .orchestrator(reason: "the ISO cache (keyed by its checksum)"))
            )
            extraVars.append(("iso_url", "file://" + cached.path))
        }
        let isoDatastore = try isoDatastore(family: family, vars: vars, download: isoDownload)
        if let isoDatastore {
            // packer takes the ISO from the datastore: no URL on its command line.
            extraVars.removeAll { $0.0 == "iso_url" }
            extraVars.append(("iso_datastore_path", isoDatastore.path))
        }
        // A local ISO (RHEL's DVD is not public) must exist before a build starts.
        let isoURL = vars.value("iso_url")
        if refusesMissingSettings, family.bootsFromISO, !simulated, isoDownload == nil, isoDatastore == nil, isoURL.hasPrefix("file://") {
            let path = String(isoURL.dropFirst("file://".count))
            if !FileReader.exists(path) {
                throw ConfigError.fileMissing(
                    path: path, origin: "iso_url of \(os.name), set by \(vars.effective("iso_url")?.source.describe(layout) ?? "?")")
            }
        }
        switch packer {
        case .found: break
        case .notExecutable(let path): warnings.append("PACKER_BIN=\(path) is not an executable file")
        case .notFound: warnings.append("packer not found (PACKER_BIN, .local/bin, PATH); `make deps-ova` installs it")
        }
        if verb == .build, family == .local || family == .localBase {
            let low = 5900 + 20 * vncSlot
            extraVars += [("vnc_port_min", "\(low)"), ("vnc_port_max", "\(low + 19)")]
        }
        let outputVariable = family.isBase ? "base_output_dir" : "output_dir"
        var output = vars.value(outputVariable)
        if output.isEmpty { output = "./output/" + (family.isBase ? "base-\(vars.value("build_name"))" : vars.value("build_version")) }
        var seed: SeedFiles?
        if family.bootsFromISO, !vars.value("ib_seed_dir").isEmpty {
            seed = try SeedFiles.plan(
                seedDirectory: vars.value("ib_seed_dir"), layout: layout, workDirectory: workDirectory, osFile: os.file,
                username: vars.value("ssh_username").isEmpty ? "builder" : vars.value("ssh_username"),
                hostname: String(vars.value("build_name").lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }))
        }
        let baseOutput = Paths.absolute(
            vars.value("base_output_dir").isEmpty
                ? "./output/base-\(vars.value("build_name"))"
                : vars.value("base_output_dir"), relativeTo: layout.root)
        var arguments = argv(verb: verb, builder: family.builder, varFiles: layered.planned, extraVars: extraVars, template: template)
        var envNames = packerEnvironmentNames(family: family, verb: verb)
        // The simulator profile (only by its marker, only on 127.0.0.1): a derived template.
        var simulator: SimulatedBuild?
        if simulated {
            guard VSphereSettings.isLoopback(vars.value("vcenter_server")) else {
                throw ConfigError.simulatorProfileNotLoopback(server: vars.value("vcenter_server"), consulted: consulted)
            }
            let derived = workDirectory + "/packer-node.simulator.json"
            simulator = SimulatedBuild(
                derivedTemplate: derived, transformations: SimulatorProfile.transformations(builder: family.builder),
                diskSizeMiB: Int64(vars.value("disk_size")) ?? 16)
            arguments[arguments.count - 1] = derived
        } else if isoDatastore != nil {
            arguments[arguments.count - 1] = workDirectory + "/packer-node.iso.json"
        }
        let sshSecretFile = SSHSecretStore.path(family: family, baseOutputDirectory: baseOutput)
        if family.usesVSphere, !vars.value("ib_ca_file").isEmpty { envNames.append("SSL_CERT_FILE") }
        var secrets = secrets(family: family, verb: verb, variables: vars, sshSecretFile: sshSecretFile)
        if os.isWindows {
            // WinRM's password and the unattend file's, from the environment only: a build and
            // validate refuse without it; plan and explain warn.
            let enforced = refusesMissingSettings || verb == .validate
            if refusesMissingSettings, !simulated, ["", "none"].contains(vars.value("iso_checksum").lowercased()) {
                throw ConfigError.invalidValue(
                    source: vars.effective("iso_checksum")?.source.describe(layout) ?? "iso_checksum", key: "iso_checksum",
                    value: vars.value("iso_checksum"), allowed: "the checksum of your Windows ISO, sha256:<hex> (in a var file, with iso_url)")
            }
            do {
                let admin = try windowsAdminPassword(target: target.name(verb))
                secrets = PlanSecrets(
                    ssh: secrets.ssh, vspherePassword: secrets.vspherePassword,
                    environment: secrets.environment.merging(["IB_WINDOWS_ADMIN_PASSWORD": admin]) { $1 }, others: secrets.others)
            } catch {
                if enforced { throw error }
                warnings.append("\(error.description) (a build needs it)")
            }
            seed?.values = Self.windowsSeedValues(
                firmware: vars.value("firmware"), imageIndex: vars.value("windows_image_index"), productKey: vars.value("windows_product_key"),
                computerName: vars.value("build_name"))
        }
        envNames = Array(
            Set(envNames + secrets.environment.keys + (family.usesVSphere && secrets.vspherePassword != nil ? ["IB_VSPHERE_PASSWORD"] : []))
        ).sorted()
        let vsphere =
            family.usesVSphere && missing.isEmpty
            ? try VSphereSettings(lookup: { vars.value($0) }, environment: environment, consulted: consulted) : nil
        var plan = BuildPlan(
            target: target.name(verb), verb: verb, family: family, os: os.name,
            packer: PackerInvocation(
                arguments: arguments, workingDirectory: layout.root, environmentNames: envNames,
                template: arguments[arguments.count - 1]),
            varFiles: layered.planned, builder: family.builder, builderType: builder.type,
            postProcessors: template.postProcessors(for: family.builder),
            afterPacker: verb == .build
                ? AfterPackerStep.steps(
                    family: family, convertToTemplate: vars.isTrue("convert_to_template"),
                    destroy: vars.isTrue("destroy"), simulated: simulated, secureBoot: vars.value("firmware") == "efi-secure",
                    vtpm: vars.isTrue("vtpm")) : [],
            workDirectory: workDirectory, workPrefix: "\(target.name)-", outputDirectory: Paths.absolute(output, relativeTo: layout.root),
            logFile: layout.logDirectory + "/\(target.name).log", seed: seed, isoDownload: isoDownload,
            sshSecretFile: sshSecretFile, missingSettings: missing, warnings: warnings,
            vmName: family.usesVSphere ? vars.value(family.isBase ? "base_build_version" : "build_version") : nil,
            simulator: simulator, sourceTemplate: template.path, vsphere: vsphere,
            base: family == .vsphereClone
                ? BaseReference(template: vars.value("template"), target: Target(family: .vsphereBase, os: os.name).name(.build)) : nil,
            baseCompletion: baseCompletion(family: family, os: os.name, variables: vars, baseOutput: baseOutput),
            environment: packerEnvironment(family: family, variables: vars, workDirectory: workDirectory),
            secrets: secrets)
        plan.stall = stall
        plan.isoDatastore = isoDatastore
        plan.accelerator = qemu?.accelerator
        plan.guestFiles = qemu?.guestFiles
        return (plan, vars)
    }

    /// A base build writes the marker; a build from a base requires it when the base is the one
    /// its base target builds (the user's own `template` or `source_path` is theirs to vouch for).
    func baseCompletion(family: Family, os: String, variables: ResolvedVariables, baseOutput: String) -> BaseCompletion? {
        let marker = BaseCompletion.marker(baseOutputDirectory: baseOutput)
        if family.isBase { return .writes(marker: marker) }
        guard let baseFamily = family.baseFamily else { return nil }
        let defaulted: Bool
        switch variables.effective(family == .vsphereClone ? "template" : "source_path")?.source {
        case .orchestrator?: defaulted = true
        case .varFile(_, let role, _)?: defaulted = role == .family
        default: defaulted = false
        }
        return defaulted ? .requires(marker: marker, baseTarget: Target(family: baseFamily, os: os).name(.build)) : nil
    }

    /// vSphere settings empty after layering: refused for `build`, a warning otherwise
    /// (`validate` fills placeholders). Returns the missing keys.
    func checkVSphereSettings(
        family: Family, verb: Verb, target: Target, vars: inout ResolvedVariables,
        extraVars: inout [(String, String)], warnings: inout [String], consulted: [String]
    ) throws -> [String] {
        guard family.usesVSphere else { return [] }
        var missing = Planner.vSphereSettings.filter { !vars.isSet($0) }
        if !vars.isSet("cluster") && !vars.isSet("host") { missing.insert("cluster or host", at: min(5, missing.count)) }
        guard !missing.isEmpty else { return [] }
        if refusesMissingSettings {
            throw ConfigError.missingSettings(target: target.name(verb), keys: missing, consulted: consulted)
        }
        warnings.append(
            "vSphere settings empty after layering: \(missing.joined(separator: ", "))"
                + (verb == .validate ? " (validate fills placeholders)" : ""))
        if verb == .validate {
            for key in missing.map({ $0 == "cluster or host" ? "cluster" : $0 }) where key != "password" {
                let value = Planner.validatePlaceholders[key] ?? "placeholder"
                vars.apply(key, Assignment(value: .string(value), source: .orchestrator(reason: "placeholder for validate")))
                extraVars.append((key, value))
            }
        }
        return missing
    }

    /// The shared config files in their fixed order.
    static func sharedConfigFiles(_ layout: RepoLayout) -> [String] {
        let present = Set((FileReader.list(layout.sharedConfigDirectory) ?? []).filter { $0.hasSuffix(".json") })
        let ordered = RepoLayout.sharedConfigOrder.map { $0 + ".json" }.filter(present.contains)
        let others = present.subtracting(ordered).sorted()
        return (ordered + others).map { layout.sharedConfigDirectory + "/" + $0 }
    }
}
