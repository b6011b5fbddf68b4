import Subprocess
import SystemPackage

/// SHA-512 crypt (`$6$…`) of a password through `openssl passwd -6 -stdin`: the password goes
/// through openssl's stdin, never its argv.
package enum PasswordHasher {
    package static func sha512Crypt(_ password: Secret, openssl: String = "openssl") async throws -> Secret {
        let status: TerminationStatus
        let output: String?
        do {
            let result = try await Subprocess.run(
                openssl.contains("/") ? .path(FilePath(openssl)) : .name(openssl),
                arguments: ["passwd", "-6", "-stdin"],
                environment: .inherit,
                input: .string(password.value + "\n"),
                output: .string(limit: 4096),
                error: .discarded)
            status = result.terminationStatus
            output = result.standardOutput
        } catch {
            throw EnvironmentError.toolMissing(tool: "openssl", hint: "install openssl (Debian: apt-get install openssl)")
        }
        let hash = (output ?? "").trimmingCharacters()
        guard status.isSuccess, hash.hasPrefix("$6$") else {
            throw EnvironmentError.cannotStart(tool: "openssl passwd -6", reason: "it did not print a SHA-512 crypt hash")
        }
        return Secret(hash)
    }
}
