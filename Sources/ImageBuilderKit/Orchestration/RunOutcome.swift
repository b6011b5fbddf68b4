/// What happened to one target in a run.
package struct RunOutcome: Sendable, Codable, Equatable {
    package enum Result: String, Sendable, Codable {
        case succeeded, failed, notStarted = "not started"
    }

    package let target: String
    package let result: Result
    /// packer's exit code, or 128+signal.
    package let exitCode: Int32?
    package let logFile: String?
    package let workDirectory: String?
    package let seconds: Double

    /// The run's exit status: 1 if anything failed.
    package static func exitStatus(_ outcomes: [RunOutcome]) -> ExitStatus {
        outcomes.allSatisfy { $0.result == .succeeded } ? .success : .failed
    }
}
