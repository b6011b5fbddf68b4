public import ImageBuilderBasics
public import OpenStackKit

/// Errors of `openstack publish`, each with its exit status.
package enum PublishError: UserFacingError {
    /// The OVA, an option or a derived property is unusable; nothing was uploaded.
    case invalidInput(path: String, reason: String)
    /// `publish-node-ova-openstack-<os>` before its build: names the build target to run.
    case notBuilt(target: String, buildTargets: [String])
    /// Keystone or Glance (configuration: 2; sign-in, reachability: 3; answers: 1).
    case cloud(OpenStackError)
    /// The upload ended but the image Glance holds is not the one sent (deleted again).
    case verification(imageID: String, reason: String)
    case interrupted(deleted: String?)

    package var exitStatus: ExitStatus {
        switch self {
        case .invalidInput, .notBuilt: .badInput
        case .cloud(let error):
            switch error {
            case .configuration: .badInput
            case .authentication, .unreachable, .noEndpoint: .environment
            case .http, .malformed, .localFile: .failed
            }
        case .verification: .failed
        case .interrupted: .interrupted
        }
    }

    package var description: String {
        switch self {
        case .invalidInput(let path, let reason): "\(path): \(reason)"
        case .notBuilt(let target, let builds):
            "\(target): nothing to publish: no OVA in output/ from \(builds.joined(separator: " or "))"
        case .cloud(let error): "\(error)"
        case .verification(let id, let reason): "Glance image \(id) failed the check after upload (deleted): \(reason)"
        case .interrupted(let deleted):
            "interrupted" + (deleted.map { "; the image it was uploading (\($0)) was deleted" } ?? "")
        }
    }

    package var hint: String? {
        switch self {
        case .notBuilt(_, let builds): "run `make \(builds.first ?? "build-node-ova-vsphere-<os>")` first"
        case .cloud(.authentication): "check the credentials of the cloud (OS_CLOUD's clouds.yaml / secure.yaml, or the OS_* variables)"
        case .cloud(.noEndpoint): "set region_name / OS_REGION_NAME or interface / OS_INTERFACE to one the catalog lists"
        default: nil
        }
    }
}
