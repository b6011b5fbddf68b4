import Foundation
public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The private directory of one build run, `output/.work/<target>-<run-id>/`, and the
/// environment packer gets: the plan's values, secrets only here, never in argv.
package struct BuildWorkspace: Sendable {
    package let plan: BuildPlan
    package var directory: String { plan.workDirectory }
    package let environment: [String: String]
    package let secrets: [Secret]
    /// packer's TMPDIR (the plan's; a private folder under /tmp when the work path is long).
    package var temporaryDirectory: String { plan.environment.values["TMPDIR"] ?? plan.workDirectory + "/tmp" }
    /// A base build keeps its generated SSH password for its clones.
    package let storesSecret: Bool

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
    package static func generatePassword(length: Int = 20) -> Secret { Secret(Planner.randomWord(length: length)) }

    /// Computes the environment (reads the base's stored secret if the plan says so; no other
    /// side effects); `create()` makes the directory.
    package init(plan: BuildPlan, run: RunEnvironment) {
        self.plan = plan
        var env = run.variables
        // The originals stay out of packer's environment: it reads the IB_* copies.
        for name in plan.environment.removed { env[name] = nil }
        env.merge(plan.environment.values) { _, planned in planned }
        let ssh: Secret
        var storesSecret = false
        switch plan.secrets.ssh {
        case .given(let secret):
            ssh = secret
        case .storedOrNew(let file, let storesNew):
            if let file, let stored = SSHSecretStore.read(file) {
                ssh = stored
            } else {
                ssh = BuildWorkspace.generatePassword()
                storesSecret = storesNew
            }
        }
        self.storesSecret = storesSecret
        env["IB_SSH_PASSWORD"] = ssh.value
        var secrets = [ssh]
        if let vsphere = plan.secrets.vspherePassword {
            env["IB_VSPHERE_PASSWORD"] = vsphere.value
            if vsphere.value != Planner.validatePasswordPlaceholder { secrets.append(vsphere) }
        }
        for (name, secret) in plan.secrets.environment { env[name] = secret.value }
        environment = env
        self.secrets = secrets + plan.secrets.others
    }

    /// Creates the directory (0700), the string-only var-file copies (0600), and for a build
    /// the seed files and the stored base secret. Returns the secrets it derived (the crypt
    /// hash), for redaction.
    @discardableResult
    package func create(loader: VarFileLoader, processes: any ProcessRunning) async throws -> [Secret] {
        var derived: [Secret] = []
        if plan.verb == .build, let seed = plan.seed, let ssh = environment["IB_SSH_PASSWORD"] {
            let hash = try await PasswordHasher.sha512Crypt(Secret(ssh), processes: processes)
            derived.append(hash)
            try FileWriter.makeDirectory(directory, mode: 0o700)
            var values = seed.values
            values.merge(["ENCRYPTED_SSH_PASSWORD": hash.value, "SSH_USERNAME": seed.username, "HOSTNAME": seed.hostname]) { $1 }
            // Windows: the administrator password only in Windows' encoded form (PlainText false),
            // only in the work directory's 0600 copy.
            if let admin = environment["IB_WINDOWS_ADMIN_PASSWORD"] {
                for (key, suffix) in [("ADMIN_PASSWORD_ENCODED", "AdministratorPassword"), ("AUTOLOGON_PASSWORD_ENCODED", "Password")] {
                    let encoded = Self.unattendEncoded(admin, suffix: suffix)
                    values[key] = encoded
                    derived.append(Secret(encoded))
                }
            }
            try seed.render(into: seed.destination, values: values)
        }
        if storesSecret, let file = plan.sshSecretFile, let ssh = environment["IB_SSH_PASSWORD"] {
            try SSHSecretStore.write(Secret(ssh), to: file)
        }
        try FileWriter.makeDirectory(directory, mode: 0o700)
        try FileWriter.makeDirectory(temporaryDirectory, mode: 0o700)
        try FileWriter.makeDirectory(directory + "/packer_cache", mode: 0o700)
        for file in plan.varFiles {
            guard let copy = file.stringCopy else { continue }
            try FileWriter.makeDirectory(Paths.dirname(copy), mode: 0o700)
            let source = try loader.load(file.path, origin: file.role.rawValue)
            try FileWriter.write(source.stringCopyJSON(), to: copy)
        }
        if plan.simulator != nil || plan.isoDatastore != nil {
            guard case .contents(let bytes, _) = FileReader.read(plan.sourceTemplate) else {
                throw PackerError.cannotDeriveSimulatorTemplate(path: plan.sourceTemplate, reason: "cannot be read")
            }
            var text = String(decoding: bytes, as: UTF8.self)
            if plan.simulator != nil { text = try SimulatorProfile.derive(bytes, builder: plan.builder, path: plan.sourceTemplate) }
            if let iso = plan.isoDatastore { text = try iso.derive(Array(text.utf8), builder: plan.builder, path: plan.sourceTemplate) }
            try FileWriter.write(text, to: plan.packer.template)
        }
        return derived
    }

    /// How Windows' answer files hide a password: base64 of the UTF-16LE text of the password
    /// followed by the element's name.
    package static func unattendEncoded(_ password: String, suffix: String) -> String {
        let bytes = Array((password + suffix).utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        return Data(bytes).base64EncodedString()
    }

    /// Removes the temporary directory when it lies outside the work directory.
    package func removeOutsideTemporaryDirectory() throws {
        if !Paths.isInside(temporaryDirectory, directory) { try FileWriter.remove(temporaryDirectory) }
    }

    /// The command for the process runner: the plan's argv as it is.
    package var command: ProcessCommand {
        ProcessCommand(
            executable: plan.packer.arguments[0], arguments: Array(plan.packer.arguments.dropFirst()),
            environment: environment, workingDirectory: plan.packer.workingDirectory, label: plan.target)
    }
}
