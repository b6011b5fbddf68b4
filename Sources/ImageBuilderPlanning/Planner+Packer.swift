public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker

extension Planner {
    /// packer's argv: `packer <verb>`, the shared config files, the user's PACKER_FLAGS and
    /// image-builder's appended flags, packer-common, the OS file, the family file,
    /// PACKER_VAR_FILES, `--var-file OS=FILE`, orchestrator `-var`s, `-only=<builder>`, the template.
    func argv(verb: Verb, builder: String, varFiles: [PlannedVarFile], extraVars: [(String, String)], template: PackerTemplate) -> [String] {
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

    /// The repository, this binary and the build's work directory, as packer's environment
    /// names them (for its run and for `{{env}}` in template defaults).
    func orchestratorPaths(workDirectory: String) -> [String: String] {
        [
            "IB_ROOT": layout.root,
            "IB_SELF": environment.executablePath.map(environment.absolute) ?? "image-builder",
            "IB_WORK_DIR": workDirectory,
        ]
    }

    /// The environment values known before a run, for `{{env}}` in template defaults.
    func interpolationEnvironment(workDirectory: String) -> [String: String] {
        var env = orchestratorPaths(workDirectory: workDirectory)
        env["IB_VSPHERE_PASSWORD"] = environment["VSPHERE_PASSWORD"]
        env["IB_SSH_PASSWORD"] = environment["SSH_PASSWORD"] ?? "<generated per build>"
        env["IB_VERSION"] = environment["IB_VERSION"]
        return env
    }

    /// The names of the variables the orchestrator sets in packer's environment.
    func packerEnvironmentNames(family: Family, verb: Verb) -> [String] {
        var names = [
            "CHECKPOINT_DISABLE", "IB_ROOT", "IB_HTTP_DIR", "IB_SELF", "IB_SSH_PASSWORD", "IB_WORK_DIR", "PACKER_CACHE_DIR", "PACKER_LOG_PATH",
            "TMPDIR",
        ]
        if family.usesVSphere && (environment["VSPHERE_PASSWORD"] != nil || verb == .validate) {
            names.append("IB_VSPHERE_PASSWORD")
        }
        if environment["IB_VERSION"] != nil { names.append("IB_VERSION") }
        return names.sorted()
    }

    /// The non-secret values the orchestrator sets for packer: per-build paths (the build's
    /// own cache, log and TMPDIR), the CA for Go, OVF_CUSTOM_PROPERTIES made absolute.
    func packerEnvironment(family: Family, variables: ResolvedVariables, workDirectory: String) -> PackerEnvironment {
        var env = orchestratorPaths(workDirectory: workDirectory)
        env["PACKER_CACHE_DIR"] = workDirectory + "/packer_cache"
        // Only written when PACKER_LOG=1; then it is this build's own file.
        env["PACKER_LOG_PATH"] = workDirectory + "/packer.log"
        env["CHECKPOINT_DISABLE"] = "1"
        env["IB_HTTP_DIR"] = Self.httpDirectory(variables, workDirectory: workDirectory)
        // packer binds plugin sockets in TMPDIR, and a socket path is at most 107 bytes.
        let tmp = workDirectory + "/tmp"
        env["TMPDIR"] = tmp.utf8.count <= 72 ? tmp : "/tmp/ib-" + Planner.randomWord(length: 10)
        // The local post-processor runs `ova package` from the repository root: keep the user's path.
        if let properties = environment["OVF_CUSTOM_PROPERTIES"], !properties.isEmpty {
            env["OVF_CUSTOM_PROPERTIES"] = environment.absolute(properties)
        }
        // packer has no CA option: Go reads SSL_CERT_FILE (a VMCA root, the simulator's CA).
        if family.usesVSphere, !variables.value("ib_ca_file").isEmpty {
            env["SSL_CERT_FILE"] = environment.absolute(variables.value("ib_ca_file"))
        }
        return PackerEnvironment(
            values: env, removed: ["SSH_PASSWORD", "VSPHERE_PASSWORD", "WINDOWS_ADMIN_PASSWORD", "PACKER_VAR_FILES", "PACKER_FLAGS"])
    }

    /// Where the build's secrets come from. SSH: a user's var file that sets it (packer's
    /// precedence), SSH_PASSWORD, the base's stored secret, a new one.
    func secrets(family: Family, verb: Verb, variables: ResolvedVariables, sshSecretFile: String?) -> PlanSecrets {
        let ssh: SSHPassword
        if case .varFile = variables.effective("ssh_password")?.source, let value = variables.raw("ssh_password"), !value.isEmpty {
            ssh = .given(Secret(value))
        } else if let given = environment["SSH_PASSWORD"] {
            ssh = .given(Secret(given))
        } else {
            ssh = .storedOrNew(file: sshSecretFile, storesNew: family.isBase && verb == .build)
        }
        // A var file's secret wins over the environment (packer's precedence: a var file beats
        // the template default that reads the environment); it reaches packer through the
        // environment, so the work copies of var files hold none.
        var fromVarFiles: [String: Secret] = [:]
        for (name, variable) in SecretVariables.templateEnvironment where name != "ssh_password" {
            if case .varFile = variables.effective(name)?.source, let value = variables.raw(name), !value.isEmpty {
                fromVarFiles[variable] = Secret(value)
            }
        }
        var vsphere: Secret?
        if let value = fromVarFiles.removeValue(forKey: "IB_VSPHERE_PASSWORD") {
            vsphere = value
        } else if let value = environment["VSPHERE_PASSWORD"] {
            vsphere = Secret(value)
        } else if verb == .validate, family.usesVSphere {
            vsphere = Secret(Planner.validatePasswordPlaceholder)
        }
        var others: [Secret] = Array(fromVarFiles.values)
        if let value = environment["VSPHERE_PASSWORD"], value != vsphere?.value { others.append(Secret(value)) }
        for name in ["RHSM_USER", "RHSM_PASS"] { if let value = environment[name] { others.append(Secret(value)) } }
        return PlanSecrets(ssh: ssh, vspherePassword: vsphere, environment: fromVarFiles, others: others)
    }

    /// Long and distinctive: packer masks a sensitive value's text wherever it occurs.
    package static let validatePasswordPlaceholder = "image-builder-validate-placeholder"

    /// Letters and digits, at random.
    package static func randomWord(length: Int) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
