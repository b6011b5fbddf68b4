/// The process exit codes of the whole product (one table; README and house style follow it).
package enum ExitStatus: Int32, Sendable, CaseIterable, Codable {
    /// Every requested target succeeded.
    case success = 0
    /// A build failed or an artifact is bad; the other builds ran to completion.
    case failed = 1
    /// Bad input, usage or configuration; nothing was started.
    case badInput = 2
    /// The environment is missing something: packer or another tool, or vCenter unreachable.
    case environment = 3
    /// An internal error (a bug).
    case internalError = 70
    /// Interrupted by SIGINT or SIGTERM; children were stopped.
    case interrupted = 130

    package var code: Int32 { rawValue }

    /// One line for the README's table and `--help`.
    package var meaning: String {
        switch self {
        case .success: "success"
        case .failed: "a build failed or an artifact is bad (the other builds ran to completion)"
        case .badInput: "bad input, usage or configuration; nothing was started"
        case .environment: "the environment is missing something (packer or another tool, vCenter unreachable)"
        case .internalError: "internal error (a bug: please report it)"
        case .interrupted: "interrupted (SIGINT or SIGTERM)"
        }
    }
}
