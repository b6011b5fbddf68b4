public import ImageBuilderBasics
public import OVAKit

/// What goes wrong in the OVA stage: packaging, reading an OVA to deploy.
package enum OVAError: UserFacingError {
    /// An input is missing or wrong (the manifest, a disk, OVF_CUSTOM_PROPERTIES, an EULA, an
    /// OVA to deploy): exit 2, nothing written.
    case invalidInput(path: String, reason: String)
    /// An OVA is damaged or hostile (not a tar, impossible sizes, truncated): exit 1.
    case damaged(path: String, reason: String)
    /// A tool, a read or a write failed: exit 1, nothing left behind.
    case failed(String)
    /// The caller's cancellation (SIGINT, SIGTERM) stopped it: nothing left behind.
    case interrupted(String)

    /// From OVAKit's writer error.
    init(_ failure: OVAWriter.Failure) {
        self = failure.isInterruption ? .interrupted(failure.description) : .failed(failure.description)
    }

    package var description: String {
        switch self {
        case .invalidInput(let path, let reason), .damaged(let path, let reason): "\(path): \(reason)"
        case .failed(let reason), .interrupted(let reason): reason
        }
    }

    package var exitStatus: ExitStatus {
        switch self {
        case .invalidInput: .badInput
        case .failed, .damaged: .failed
        case .interrupted: .interrupted
        }
    }
}
