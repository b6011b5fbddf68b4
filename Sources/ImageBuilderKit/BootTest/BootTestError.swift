public import ImageBuilderBasics

/// Why a boot test could not be carried out (a check that fails is a report line, not this).
package enum BootTestError: UserFacingError {
    case input(path: String, reason: String)
    case toolFailed(tool: String, outcome: String, output: String)
    case noSSH(seconds: Int, console: [String])
    case guestStopped(console: [String])

    package var exitStatus: ExitStatus {
        switch self {
        case .input: .badInput
        case .toolFailed, .noSSH, .guestStopped: .failed
        }
    }

    package var description: String {
        switch self {
        case .input(let path, let reason): "\(path): \(reason)"
        case .toolFailed(let tool, let outcome, let output): "\(tool) failed (\(outcome)): \(output)"
        case .noSSH(let seconds, let console):
            "the guest did not answer SSH within \(seconds) s; the console's last lines:\n" + console.map { "  | " + $0 }.joined(separator: "\n")
        case .guestStopped(let console):
            "the guest stopped before it answered SSH; the console's last lines:\n" + console.map { "  | " + $0 }.joined(separator: "\n")
        }
    }
}
