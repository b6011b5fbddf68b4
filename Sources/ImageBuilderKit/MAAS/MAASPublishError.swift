public import ImageBuilderBasics
public import MAASKit

/// Errors of `maas publish`, each with its exit status.
package enum MAASPublishError: UserFacingError {
    case invalidInput(path: String, reason: String)
    /// MAAS (configuration: 2; key refused, unreachable: 3; answers: 1).
    case maas(MAASError)
    /// The upload ended but MAAS does not hold the file complete.
    case incomplete(resource: Int, reason: String)

    package var exitStatus: ExitStatus {
        switch self {
        case .invalidInput: .badInput
        case .maas(let error):
            switch error {
            case .configuration, .localFile: .badInput
            case .authentication, .unreachable: .environment
            case .http(_, _, 403, _): .environment
            case .http, .malformed: .failed
            }
        case .incomplete: .failed
        }
    }

    package var description: String {
        switch self {
        case .invalidInput(let path, let reason): "\(path): \(reason)"
        case .maas(let error): "\(error)"
        case .incomplete(let resource, let reason): "boot resource \(resource): \(reason)"
        }
    }

    package var hint: String? {
        switch self {
        case .maas(.authentication), .maas(.http(_, _, 403, _)):
            "check MAAS_API_KEY (an administrator's key: `maas apikey --username ADMIN`)"
        default: nil
        }
    }
}
