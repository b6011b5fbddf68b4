/// What went wrong talking to MAAS. No case carries the API key's secret.
public enum MAASError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The URL, key or an option is wrong (`file` is a path, `environment` or an option).
    case configuration(file: String, key: String, reason: String)
    /// MAAS refused the key (401, or 403 on a call that needs an administrator).
    case authentication(url: String, status: Int, message: String)
    case unreachable(url: String, reason: String)
    /// MAAS answered with an error status.
    case http(method: String, url: String, status: Int, message: String)
    case malformed(url: String, reason: String)
    case localFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .configuration(let file, let key, let reason): "\(file): \(key): \(reason)"
        case .authentication(let url, let status, let message): "MAAS at \(url) refused the API key (\(status)): \(message)"
        case .unreachable(let url, let reason): "MAAS at \(url) cannot be reached: \(reason)"
        case .http(let method, let url, let status, let message): "MAAS answered \(status) to \(method) \(url): \(message)"
        case .malformed(let url, let reason): "MAAS at \(url): unexpected answer: \(reason)"
        case .localFile(let path, let reason): "\(path): \(reason)"
        }
    }

    /// Whether sending the same request again may succeed (a 5xx or a lost connection).
    public var isTransient: Bool {
        switch self {
        case .unreachable: true
        case .http(_, _, let status, _): status >= 500
        default: false
        }
    }

    /// MAAS's error bodies are text ("Too much data received."); one line of it.
    static func message(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(2000), as: UTF8.self)
        let line = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).joined(separator: " ")
        return line.count > 400 ? String(line.prefix(400)) + "…" : line
    }
}
