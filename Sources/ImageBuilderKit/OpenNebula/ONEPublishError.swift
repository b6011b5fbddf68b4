public import ImageBuilderBasics
public import OpenNebulaKit

/// `one publish` failures, with their exit statuses.
package enum ONEPublishError: UserFacingError {
    case one(ONEError)
    case noDatastore(given: String, known: [String])
    case imageFailed(name: String, id: Int, message: String)
    case timedOut(name: String, id: Int, state: String)
    case badExport(path: String, reason: String)

    package var exitStatus: ExitStatus {
        switch self {
        case .one(.configuration): .badInput
        case .one(.unreachable), .one(.authentication): .environment
        case .one: .failed
        case .noDatastore, .badExport: .badInput
        case .imageFailed, .timedOut: .failed
        }
    }

    package var description: String {
        switch self {
        case .one(let error): "\(error)"
        case .noDatastore(let given, let known):
            "no image datastore '\(given)' in OpenNebula" + (known.isEmpty ? "" : " (image datastores: \(known.joined(separator: ", ")))")
        case .imageFailed(let name, let id, let message): "image \(name) (id \(id)) is in ERROR: \(message)"
        case .timedOut(let name, let id, let state): "image \(name) (id \(id)) is still \(state): gave up waiting"
        case .badExport(let path, let reason): "\(path): \(reason)"
        }
    }

    package var hint: String? {
        switch self {
        case .one(.authentication): "check ONE_AUTH (a file holding user:password, or user:password itself)"
        case .one(.unreachable): "check ONE_XMLRPC (http://frontend:2633/RPC2)"
        default: nil
        }
    }
}
