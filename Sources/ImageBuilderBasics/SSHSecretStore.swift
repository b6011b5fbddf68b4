/// The SSH password of a base VM, kept so that its clones (and rebuilds) use the same one:
/// `output/base-<build_name>/ssh-secret`, mode 0600, ignored by git (goal M5).
package enum SSHSecretStore {
    package static let fileName = "ssh-secret"

    package static func read(_ path: String) -> Secret? {
        guard case .contents(let bytes, _) = FileReader.read(path) else { return nil }
        let value = String(decoding: bytes, as: UTF8.self).trimmingCharacters()
        return value.isEmpty ? nil : Secret(value)
    }

    package static func write(_ secret: Secret, to path: String) throws {
        try FileWriter.makeDirectory(Paths.dirname(path), mode: 0o700)
        try FileWriter.write(secret.value + "\n", to: path, mode: 0o600)
    }

}
