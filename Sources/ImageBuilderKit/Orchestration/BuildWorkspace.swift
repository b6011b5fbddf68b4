#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The private directory of one build run, `output/.work/<target>-<run-id>/`, and the
/// environment packer gets: secrets only here, never in argv.
package struct BuildWorkspace: Sendable {
    package let plan: BuildPlan
    package let directory: String
    package let environment: [String: String]
    package let secrets: [Secret]
    /// packer's TMPDIR: inside the work directory when short enough, else a private folder
    /// under /tmp (packer binds plugin sockets there, and a socket path is at most 107 bytes).
    package let temporaryDirectory: String
    /// A base build keeps its generated SSH password for its clones.
    package let storesSecret: Bool
    let sshUsername: String
    let hostname: String

    /// A run id: UTC time and pid, unique per process start.
    package static func makeRunID() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let date = "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))"
        return "\(date)T\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))-\(getpid())"
    }

    /// Whether `text` has the form of `makeRunID()`: `YYYYMMDDTHHMMSS-<pid>`.
    package static func isRunID(_ text: Substring) -> Bool {
        let chars = Array(text)
        guard chars.count > 16, chars[8] == "T", chars[15] == "-" else { return false }
        let digits = chars[0..<8] + chars[9..<15] + chars[16...]
        return digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
    }

    /// A random password of letters and digits.
    package static func generatePassword(length: Int = 20) -> Secret {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        var generator = SystemRandomNumberGenerator()
        return Secret(String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }))
    }

    /// Computes the environment (no side effects); `create()` makes the directory.
    package init(plan: BuildPlan, variables: ResolvedVariables, run: RunEnvironment, runID: String, layout: RepoLayout) {
        self.plan = plan
        directory = plan.workDirectory(runID: runID)
        var env = run.variables
        // The originals stay out of packer's environment: it reads the IB_* copies.
        for name in ["SSH_PASSWORD", "VSPHERE_PASSWORD", "PACKER_VAR_FILES", "PACKER_FLAGS"] { env[name] = nil }
        var secrets: [Secret] = []
        // Precedence: a user's var file that sets it (packer's precedence; the orchestrator then
        // uses that layered value), SSH_PASSWORD, the base's stored secret, a new one.
        let ssh: Secret
        var storesSecret = false
        if case .varFile = variables.effective("ssh_password")?.source, let value = variables.raw("ssh_password"), !value.isEmpty {
            ssh = Secret(value)
        } else if let given = run["SSH_PASSWORD"] {
            ssh = Secret(given)
        } else if let file = plan.sshSecretFile, let stored = SSHSecretStore.read(file) {
            ssh = stored
        } else {
            ssh = BuildWorkspace.generatePassword()
            storesSecret = plan.family.isBase && plan.verb == .build
        }
        self.storesSecret = storesSecret
        sshUsername = variables.value("ssh_username").isEmpty ? "builder" : variables.value("ssh_username")
        hostname = String(variables.value("build_name").lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
        env["IB_SSH_PASSWORD"] = ssh.value
        secrets.append(ssh)
        if let vsphere = run["VSPHERE_PASSWORD"] {
            env["IB_VSPHERE_PASSWORD"] = vsphere
            secrets.append(Secret(vsphere))
        } else if plan.verb == .validate, plan.family.usesVSphere {
            env["IB_VSPHERE_PASSWORD"] = BuildWorkspace.validatePasswordPlaceholder
        }
        if case .varFile = variables.effective("password")?.source, let value = variables.raw("password"), !value.isEmpty {
            secrets.append(Secret(value))
        }
        for name in ["RHSM_USER", "RHSM_PASS"] { if let v = run[name] { secrets.append(Secret(v)) } }
        env["IB_ROOT"] = layout.root
        env["IB_SELF"] = run.executablePath.map(run.absolute) ?? "image-builder"
        env["IB_WORK_DIR"] = directory
        env["PACKER_CACHE_DIR"] = directory + "/packer_cache"
        // Only written when PACKER_LOG=1; then it is this build's own file.
        env["PACKER_LOG_PATH"] = directory + "/packer.log"
        let tmp = directory + "/tmp"
        temporaryDirectory = tmp.utf8.count <= 72 ? tmp : "/tmp/ib-" + String(BuildWorkspace.generatePassword(length: 10).value)
        env["TMPDIR"] = temporaryDirectory
        env["CHECKPOINT_DISABLE"] = "1"
        // The local post-processor runs `ova package` from the repository root: keep the user's path.
        if let properties = run["OVF_CUSTOM_PROPERTIES"], !properties.isEmpty { env["OVF_CUSTOM_PROPERTIES"] = run.absolute(properties) }
        // packer has no CA option: Go reads SSL_CERT_FILE (a VMCA root, the simulator's CA).
        if plan.family.usesVSphere, !variables.value("ib_ca_file").isEmpty {
            env["SSL_CERT_FILE"] = run.absolute(variables.value("ib_ca_file"))
        }
        environment = env
        self.secrets = secrets
    }

    /// Long and distinctive: packer masks a sensitive value's text wherever it occurs.
    package static let validatePasswordPlaceholder = "image-builder-validate-placeholder"

    /// Creates the directory (0700), the string-only var-file copies (0600), and for a build
    /// the seed files and the stored base secret. Returns the secrets it derived (the crypt
    /// hash), for redaction.
    @discardableResult
    package func create(loader: VarFileLoader) async throws -> [Secret] {
        var derived: [Secret] = []
        if plan.verb == .build, let seed = plan.seed, let ssh = environment["IB_SSH_PASSWORD"] {
            let hash = try await PasswordHasher.sha512Crypt(Secret(ssh))
            derived.append(hash)
            try FileWriter.makeDirectory(directory, mode: 0o700)
            try seed.render(into: seed.destination.replacingOccurrences(of: plan.workDirectory, with: directory), values: [
                "ENCRYPTED_SSH_PASSWORD": hash.value, "SSH_USERNAME": sshUsername, "HOSTNAME": hostname,
            ])
        }
        if storesSecret, let file = plan.sshSecretFile, let ssh = environment["IB_SSH_PASSWORD"] {
            try SSHSecretStore.write(Secret(ssh), to: file)
        }
        try FileWriter.makeDirectory(directory, mode: 0o700)
        try FileWriter.makeDirectory(temporaryDirectory, mode: 0o700)
        try FileWriter.makeDirectory(directory + "/packer_cache", mode: 0o700)
        for file in plan.varFiles {
            guard let copy = file.stringCopy else { continue }
            let path = copy.replacingOccurrences(of: plan.workDirectory, with: directory)
            try FileWriter.makeDirectory(Paths.dirname(path), mode: 0o700)
            let source = try loader.load(file.path, origin: file.role.rawValue)
            try FileWriter.write(source.stringCopyJSON(), to: path)
        }
        if let simulator = plan.simulator {
            guard case .contents(let bytes, _) = FileReader.read(plan.sourceTemplate) else {
                throw SimulatorProfile.Failure(path: plan.sourceTemplate, reason: "cannot be read")
            }
            let text = try SimulatorProfile.derive(bytes, builder: plan.builder, path: plan.sourceTemplate)
            try FileWriter.write(text, to: simulator.derivedTemplate.replacingOccurrences(of: plan.workDirectory, with: directory))
        }
        return derived
    }

    /// Removes the temporary directory when it lies outside the work directory.
    package func removeOutsideTemporaryDirectory() throws {
        if !Paths.isInside(temporaryDirectory, directory) { try FileWriter.remove(temporaryDirectory) }
    }

    /// The command for the process runner.
    package var command: ProcessCommand {
        // The plan's paths inside the work directory carry the run-id placeholder.
        let pattern = plan.workDirectory
        let arguments = plan.packer.arguments.map { $0.replacingOccurrences(of: pattern, with: directory) }
        return ProcessCommand(executable: arguments[0], arguments: Array(arguments.dropFirst()),
                              environment: environment, workingDirectory: plan.packer.workingDirectory, label: plan.target)
    }
}
