/// Everything the vSphere client can fail with. Each case names the vCenter it talked to.
public enum VSphereError: Error, Sendable, CustomStringConvertible {
    /// No connection: refused, reset, timed out, name not resolved.
    case unreachable(host: String, reason: String)
    /// The TLS handshake failed, usually an untrusted certificate.
    case tls(host: String, reason: String)
    /// An HTTP status other than success, outside SOAP faults.
    case http(host: String, status: Int, url: String)
    /// A SOAP fault for `method`.
    case fault(host: String, method: String, SOAPFault)
    /// A task that ended in error: its fault as typed by vCenter.
    case taskFailed(host: String, task: String, SOAPFault)
    /// An inventory path, name or file that does not exist.
    case notFound(host: String, what: String)
    /// A reply that could not be read.
    case invalidResponse(host: String, reason: String)
    /// A local file could not be read or written.
    case localFile(path: String, reason: String)
    /// vCenter would refuse the operation on this object, said before asking (an export of a VM
    /// with a vTPM).
    case refused(host: String, operation: String, reason: String)
    /// Bad connection settings (no server, a CA file that does not load).
    case configuration(String)

    /// The fault's vSphere type (`InvalidLogin`, `DuplicateName`, `InvalidPowerState` …), if any.
    public var faultType: String? {
        switch self {
        case .fault(_, _, let fault), .taskFailed(_, _, let fault): fault.type
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let host, let reason): "vCenter \(host) is unreachable: \(reason)"
        case .tls(let host, let reason):
            "TLS with vCenter \(host) failed: \(reason) (set the CA with --ca-file or ib_ca_file, or insecure_connection)"
        case .http(let host, let status, let url): "vCenter \(host) answered HTTP \(status) for \(url)"
        case .fault(let host, let method, let fault): "vCenter \(host): \(method) failed: \(fault)"
        case .taskFailed(let host, let task, let fault): "vCenter \(host): task \(task) failed: \(fault)"
        case .notFound(let host, let what): "vCenter \(host): \(what) not found"
        case .invalidResponse(let host, let reason): "vCenter \(host): unreadable reply: \(reason)"
        case .localFile(let path, let reason): "\(path): \(reason)"
        case .refused(let host, let operation, let reason): "vCenter \(host): \(operation) is refused: \(reason)"
        case .configuration(let reason): reason
        }
    }
}
