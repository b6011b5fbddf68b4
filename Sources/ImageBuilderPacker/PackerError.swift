public import ImageBuilderBasics

/// What goes wrong in the packer stage before packer starts (packer's own failures are its
/// exit status, not an error).
package enum PackerError: UserFacingError, Equatable {
    /// The template is not what the orchestrator needs (not JSON, a builder missing): exit 2.
    case invalidTemplate(path: String, reason: String)
    /// The simulator profile's template could not be derived from the repository's.
    case cannotDeriveSimulatorTemplate(path: String, reason: String)
    /// Cancelled (SIGINT, SIGTERM) while preparing packer's run.
    case interrupted

    package var description: String {
        switch self {
        case .invalidTemplate(let path, let reason): "\(path): \(reason)"
        case .cannotDeriveSimulatorTemplate(let path, let reason): "\(path): cannot derive the simulator template: \(reason)"
        case .interrupted: "interrupted"
        }
    }

    package var exitStatus: ExitStatus {
        switch self {
        case .invalidTemplate: .badInput
        case .cannotDeriveSimulatorTemplate: .failed
        case .interrupted: .interrupted
        }
    }
}
