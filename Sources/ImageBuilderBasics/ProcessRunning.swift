/// A child process to run: argv as an array, its whole environment, its working directory.
package struct ProcessCommand: Sendable, Equatable {
    package let executable: String
    /// Arguments after argv[0].
    package let arguments: [String]
    package let environment: [String: String]
    package let workingDirectory: String
    /// Who runs it, for prompts ("[build-node-ova-…] packer asks: …").
    package let label: String
    /// Bytes for the child's standard input (at most a pipe's buffer, 64 KiB: a password for
    /// openssl); nil gives it none.
    package let standardInput: [UInt8]?

    package init(
        executable: String, arguments: [String], environment: [String: String], workingDirectory: String, label: String = "",
        standardInput: [UInt8]? = nil
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.label = label
        self.standardInput = standardInput
    }
}

/// How a child ended. A non-zero exit is a value, not an error (house-style §5.3).
package enum ProcessOutcome: Sendable, Equatable {
    case exited(Int32)
    case signalled(Int32)

    package var succeeded: Bool { self == .exited(0) }
}

/// Which stream a line came from.
package enum OutputStreamKind: Sendable, Equatable {
    case standardOutput, standardError
}

/// The seam every child process goes through; fakes implement it in tests.
package protocol ProcessRunning: Sendable {
    /// Runs `command` to the end, handing each output line to `onLine`.
    /// - Throws: when the process cannot be started (not for a non-zero exit).
    func run(
        _ command: ProcessCommand, onLine: @escaping @Sendable (OutputStreamKind, String) async -> Void
    ) async throws -> ProcessOutcome
}
