/// SHA-512 crypt (`$6$…`) of a password through `openssl passwd -6 -stdin`: the password goes
/// through openssl's stdin, never its argv.
package enum PasswordHasher {
    package static func sha512Crypt(_ password: Secret, processes: any ProcessRunning, openssl: String = "openssl") async throws -> Secret {
        let lines = LineCollector()
        let command = ProcessCommand(
            executable: "/usr/bin/env", arguments: [openssl, "passwd", "-6", "-stdin"],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin"], workingDirectory: "/",
            standardInput: Array((password.value + "\n").utf8))
        // Shielded from the caller's cancellation: openssl takes milliseconds; the caller checks
        // for cancellation right after.
        let outcome: ProcessOutcome
        do {
            outcome = try await Task {
                try await processes.run(command) { stream, line in if stream == .standardOutput { lines.append(line) } }
            }.value
        } catch {
            throw EnvironmentError.toolMissing(tool: "openssl", hint: "install openssl (Debian: apt-get install openssl)")
        }
        try Task.checkCancellation()
        if outcome == .exited(127) {
            throw EnvironmentError.toolMissing(tool: "openssl", hint: "install openssl (Debian: apt-get install openssl)")
        }
        let hash = lines.text.trimmingCharacters()
        guard outcome.succeeded, hash.hasPrefix("$6$") else {
            throw EnvironmentError.cannotStart(tool: "openssl passwd -6", reason: "it did not print a SHA-512 crypt hash")
        }
        return Secret(hash)
    }
}
