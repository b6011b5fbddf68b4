/// What goes wrong talking to OpenNebula. OpenNebula answers a failed call with `[false,
/// message, code]`; its codes are bit flags (0x0100 authentication, 0x0200 authorization, …).
public enum ONEError: Error, Sendable, Equatable, CustomStringConvertible {
    case configuration(source: String, reason: String)
    case unreachable(endpoint: String, reason: String)
    /// Authentication (0x0100): the session was refused.
    case authentication(message: String)
    case failed(method: String, message: String, code: Int)
    case malformed(method: String, reason: String)

    public static let authenticationCode = 0x0100
    public static let noSuchObjectCode = 0x0400

    public var description: String {
        switch self {
        case .configuration(let source, let reason): "\(source): \(reason)"
        case .unreachable(let endpoint, let reason): "OpenNebula at \(endpoint) cannot be reached: \(reason)"
        case .authentication(let message): "OpenNebula refused the credentials: \(message)"
        case .failed(let method, let message, let code): "\(method) failed (OpenNebula error 0x\(String(code, radix: 16))): \(message)"
        case .malformed(let method, let reason): "\(method): an answer OpenNebula would not give: \(reason)"
        }
    }
}
