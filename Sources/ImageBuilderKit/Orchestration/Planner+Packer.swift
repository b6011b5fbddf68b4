extension Planner {
    /// packer's argv: `packer <verb>`, the shared config files, the user's PACKER_FLAGS and
    /// image-builder's appended flags, packer-common, the OS file, the family file,
    /// PACKER_VAR_FILES, `--var-file OS=FILE`, orchestrator `-var`s, `-only=<builder>`, the template.
    func argv(verb: Verb, builder: String, varFiles: [PlannedVarFile], extraVars: [(String, String)]) -> [String] {
        var args = [PackerLocator.path(packer), verb == .validate ? "validate" : "build"]
        // Human output with timestamps: the orchestrator reads stages from it.
        if verb == .build { args.append("-timestamp-ui") }
        let shared = varFiles.filter { $0.role == .sharedConfig }
        args += shared.map { "-var-file=" + $0.argumentPath }
        var flagFiles = varFiles.filter { $0.role == .packerFlags }[...]
        var flags = inputs.packerFlags.items
        flags += inputs.appendedFlags(for: verb).map(\.item)
        for item in flags {
            switch item {
            case .varFile:
                if let file = flagFiles.popFirst() { args.append("-var-file=" + file.argumentPath) }
            case .variable(let key, let value):
                args += ["-var", "\(key)=\(value)"]
            case .other(let token):
                if verb == .validate && PackerFlags.isBuildOnly(token) { continue }
                args.append(token)
            }
        }
        for file in varFiles where ![.sharedConfig, .packerFlags].contains(file.role) {
            args.append("-var-file=" + file.argumentPath)
        }
        for (key, value) in extraVars { args += ["-var", "\(key)=\(value)"] }
        args.append("-only=" + builder)
        args.append(template.path)
        return args
    }

    /// The environment values known before a run, for `{{env}}` in template defaults.
    func packerEnvironment(workDirectory: String) -> [String: String] {
        var env: [String: String] = [
            "IB_ROOT": layout.root,
            "IB_WORK_DIR": workDirectory,
            "IB_SELF": environment.executablePath.map(environment.absolute) ?? "image-builder",
        ]
        env["IB_VSPHERE_PASSWORD"] = environment["VSPHERE_PASSWORD"]
        env["IB_SSH_PASSWORD"] = environment["SSH_PASSWORD"] ?? "<generated per build>"
        env["IB_VERSION"] = environment["IB_VERSION"]
        return env
    }

    /// The names of the variables the orchestrator sets in packer's environment.
    func packerEnvironmentNames(family: Family, verb: Verb) -> [String] {
        var names = ["CHECKPOINT_DISABLE", "IB_ROOT", "IB_SELF", "IB_SSH_PASSWORD", "IB_WORK_DIR", "PACKER_CACHE_DIR", "PACKER_LOG_PATH", "TMPDIR"]
        if family.usesVSphere && (environment["VSPHERE_PASSWORD"] != nil || verb == .validate) {
            names.append("IB_VSPHERE_PASSWORD")
        }
        if environment["IB_VERSION"] != nil { names.append("IB_VERSION") }
        return names.sorted()
    }
}
