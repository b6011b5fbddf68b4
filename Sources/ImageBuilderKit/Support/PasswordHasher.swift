import Subprocess
import SystemPackage

/// SHA-512 crypt (`$6$…`) of a password through `openssl passwd -6 -stdin`: the password goes
/// through openssl's stdin, never its argv.
package enum PasswordHasher {
    package static func sha512Crypt(_ password: Secret, openssl: String = "openssl") async throws -> Secret {
        // Shielded from the caller's cancellation: swift-subprocess 1.0.2 traps ("FileDescriptor
        // … was not closed") when a run with a stdin writer is cancelled mid-flight. openssl
        // takes milliseconds; the caller checks for cancellation right after.
        let hash = try await Task { try await hashUncancelled(password, openssl: openssl) }.value
        try Task.checkCancellation()
        return hash
    }

    private static func hashUncancelled(_ password: Secret, openssl: String) async throws -> Secret {
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
