/// A child process that could not be started as asked (a non-zero exit is not an error: it
/// is the `ProcessOutcome`).
package enum ProcessError: UserFacingError, Equatable {
    /// A pipe, /dev/null or a pseudo-terminal could not be set up.
    case cannotSetUp(String)
    /// Standard input beyond a pipe's buffer (64 KiB).
    case inputTooLarge(bytes: Int)

    package var description: String {
        switch self {
        case .cannotSetUp(let reason): reason
        case .inputTooLarge(let bytes): "standard input of \(bytes) bytes is over 64 KiB"
        }
    }

    package var exitStatus: ExitStatus { .environment }
}
