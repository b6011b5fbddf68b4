public import ImageBuilderBasics
public import VSphereKit

/// What goes wrong in the vSphere stage. An unreachable or untrusted vCenter is the
/// environment (exit 3); a missing object, file or base is bad input (2); a refused operation
/// is a failure (1); cancellation is an interruption (130), never "unreachable".
package enum VSphereStepError: UserFacingError {
    /// vCenter answered with an error, or could not be reached.
    case vcenter(VSphereError)
    /// A clone build's base template is not on vCenter and not built in this run.
    case missingBase(target: String, template: String, server: String, baseTarget: String)
    /// The run was cancelled (SIGINT, SIGTERM, --fail-fast) during a vSphere step.
    case interrupted(target: String)

    package var description: String {
        switch self {
        case .vcenter(let error): error.description
        case .missingBase(let target, let template, let server, _): "\(target): base template '\(template)' not found on \(server)"
        case .interrupted(let target): "\(target): interrupted"
        }
    }

    package var exitStatus: ExitStatus {
        switch self {
        case .vcenter(let error):
            switch error {
            case .unreachable, .tls: .environment
            case .notFound, .configuration, .localFile: .badInput
            case .fault(_, _, let fault) where fault.type == "InvalidLogin": .badInput
            default: .failed
            }
        case .missingBase: .badInput
        case .interrupted: .interrupted
        }
    }

    package var hint: String? {
        switch self {
        case .vcenter(.fault(_, _, let fault)) where fault.type == "InvalidLogin": "check username and password (or VSPHERE_PASSWORD)"
        case .vcenter(.unreachable): "is vcenter_server right, and is vCenter (or `image-builder sim start`) running?"
        case .missingBase(_, _, _, let base): "build it first: make \(base)"
        default: nil
        }
    }
}
