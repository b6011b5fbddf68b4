public import ImageBuilderBasics

/// Everything a user gives besides the target names: the image-builder environment variables
/// (whether set in the environment or as make arguments) and the CLI's `--var-file OS=FILE`.
package struct UserInputs: Sendable {
    /// PACKER_VAR_FILES, absolute, in the given order.
    package let packerVarFiles: [String]
    package let packerFlags: PackerFlags
    /// `--var-file OS=FILE` and `VAR_FILES_<os>`, absolute, per OS name.
    package let osVarFiles: [String: [String]]
    package let color: String
    package let onErrorAsk: Bool
    package let foreground: Bool
    package let debug: Bool
    package let sshPrivateKeyFile: String?
    /// The contents of SSH_PUBLIC_KEY_FILE (a public key: not a secret).
    package let sshPublicKey: String?
    package let sshPublicKeyFile: String?
    /// OVF_CUSTOM_PROPERTIES, absolute and checked (nil when unset).
    package let ovfCustomPropertiesFile: String?

    /// Reads and checks every input; nothing is started.
    package init(environment env: RunEnvironment, varFileOptions: [String] = []) throws(ConfigError) {
        packerVarFiles = env["PACKER_VAR_FILES"].map { ShellWords.splitPathList($0).map(env.absolute) } ?? []
        packerFlags = try PackerFlags(env["PACKER_FLAGS"], environment: env)
        var perOS: [String: [String]] = [:]
        for (name, value) in env.variables.sorted(by: { $0.key < $1.key }) where name.hasPrefix("VAR_FILES_") && !value.isEmpty {
            let os = String(name.dropFirst("VAR_FILES_".count)).replacingOccurrences(of: "_", with: "-")
            perOS[os, default: []] += ShellWords.splitPathList(value).map(env.absolute)
        }
        for option in varFileOptions {
            guard let eq = option.firstIndex(of: "="), eq != option.startIndex,
                option.index(after: eq) != option.endIndex
            else { throw .malformedVarFileOption(text: option) }
            perOS[String(option[..<eq]), default: []].append(env.absolute(String(option[option.index(after: eq)...])))
        }
        osVarFiles = perOS
        let color = env["PACKER_COLOR"]?.lowercased() ?? "true"
        guard ["true", "false"].contains(color) else {
            throw .invalidToggle(name: "PACKER_COLOR", value: env["PACKER_COLOR"] ?? "", allowed: ["true", "false"])
        }
        self.color = color
        for name in ["ON_ERROR_ASK", "FOREGROUND", "DEBUG"] {
            if let value = env[name], !["0", "1", "true", "false", "yes", "no", "on", "off"].contains(value.lowercased()) {
                throw .invalidToggle(name: name, value: value, allowed: ["1", "0"])
            }
        }
        if let properties = env["OVF_CUSTOM_PROPERTIES"] {
            _ = try OVFProperties.load(env.absolute(properties))
            ovfCustomPropertiesFile = env.absolute(properties)
        } else {
            ovfCustomPropertiesFile = nil
        }
        try UserInputs.checkOVFToolArguments(env)
        onErrorAsk = env.isOn("ON_ERROR_ASK")
        foreground = env.isOn("FOREGROUND")
        debug = env.isOn("DEBUG")
        sshPrivateKeyFile = try env["SSH_PRIVATE_KEY_FILE"].map { (path: String) throws(ConfigError) -> String in
            let absolute = env.absolute(path)
            guard case .contents = FileReader.read(absolute) else {
                throw .fileMissing(path: absolute, origin: "SSH_PRIVATE_KEY_FILE")
            }
            return absolute
        }
        if let path = env["SSH_PUBLIC_KEY_FILE"] {
            let absolute = env.absolute(path)
            guard case .contents(let bytes, _) = FileReader.read(absolute) else {
                throw .fileMissing(path: absolute, origin: "SSH_PUBLIC_KEY_FILE")
            }
            var key = String(decoding: bytes, as: UTF8.self)
            while key.last?.isWhitespace == true { key.removeLast() }
            sshPublicKey = key
            sshPublicKeyFile = absolute
        } else {
            sshPublicKey = nil
            sshPublicKeyFile = nil
        }
    }

    /// IB_OVFTOOL_ARGS must split like shell words (balanced quotes) when ovftool packages.
    package static func checkOVFToolArguments(_ env: RunEnvironment) throws(ConfigError) {
        guard env["IB_OVFTOOL"] != nil, let text = env["IB_OVFTOOL_ARGS"] else { return }
        do { _ = try ShellWords.split(text) } catch {
            let reason =
                switch error {
                case .unterminatedQuote(let quote): "has an unterminated \(quote) quote"
                case .trailingBackslash: "ends with a lone backslash"
                }
            throw .invalidValue(source: "the environment", key: "IB_OVFTOOL_ARGS", value: text, allowed: "shell words (it \(reason))")
        }
    }

    /// The flags appended after the user's PACKER_FLAGS, in the reference's order.
    package func appendedFlags(for verb: Verb) -> [(origin: String, item: PackerFlags.Item)] {
        var flags: [(String, PackerFlags.Item)] = []
        if verb == .build { flags.append(("PACKER_COLOR", .other("-color=\(color)"))) }
        if foreground { flags.append(("FOREGROUND=1", .variable(key: "headless", value: "false"))) }
        if onErrorAsk && verb == .build { flags.append(("ON_ERROR_ASK=1", .other("-on-error=ask"))) }
        if let sshPrivateKeyFile { flags.append(("SSH_PRIVATE_KEY_FILE", .variable(key: "ssh_private_key_file", value: sshPrivateKeyFile))) }
        if let sshPublicKey { flags.append(("SSH_PUBLIC_KEY_FILE", .variable(key: "ssh_public_key", value: sshPublicKey))) }
        if debug && verb == .build { flags.append(("DEBUG=1", .other("-debug"))) }
        return flags
    }
}
