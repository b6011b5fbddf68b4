/// What went wrong talking to an OpenStack cloud, named by the service and what a user can act
/// on. No case carries a password, a secret or a token.
public enum OpenStackError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A configuration file or variable is wrong (`file` is a path or `environment`).
    case configuration(file: String, key: String, reason: String)
    /// Keystone refused the credentials (401) or the scope (403).
    case authentication(url: String, status: Int, message: String)
    /// The service could not be reached, or its certificate was not trusted.
    case unreachable(service: String, url: String, reason: String)
    /// The catalog has no endpoint for the service type in the region and interface.
    case noEndpoint(type: String, region: String?, interface: String, available: [String])
    /// The service answered with an error status.
    case http(service: String, method: String, url: String, status: Int, message: String)
    /// The service answered with something that is not what its API documents.
    case malformed(service: String, url: String, reason: String)
    /// A local file the request streams could not be read.
    case localFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .configuration(let file, let key, let reason): "\(file): \(key): \(reason)"
        case .authentication(let url, let status, let message):
            "Keystone at \(url) refused the credentials (\(status)): \(message)"
        case .unreachable(let service, let url, let reason): "\(service) at \(url) cannot be reached: \(reason)"
        case .noEndpoint(let type, let region, let interface, let available):
            "the service catalog has no \(interface) endpoint of type '\(type)'"
                + (region.map { " in region \($0)" } ?? "")
                + (available.isEmpty ? "" : " (it has: \(available.joined(separator: ", ")))")
        case .http(let service, let method, let url, let status, let message):
            "\(service) answered \(status) to \(method) \(url): \(message)"
        case .malformed(let service, let url, let reason): "\(service) at \(url): unexpected answer: \(reason)"
        case .localFile(let path, let reason): "\(path): \(reason)"
        }
    }

    /// A one-line summary of an error body: Keystone's and Glance's JSON `message`, or the
    /// text (Glance answers some errors as `415 Unsupported Media Type\n\nThe request …`).
    static func message(from body: [UInt8]) -> String {
        if let json = try? JSONValue.parse(body) {
            for key in ["error", "badRequest", "conflictingRequest", "itemNotFound", "forbidden"] {
                if let text = json[key]?["message"]?.string { return oneLine(text) }
            }
            if let text = json["message"]?.string { return oneLine(text) }
        }
        return oneLine(String(decoding: body.prefix(2000), as: UTF8.self))
    }

    static func oneLine(_ text: String) -> String {
        let words = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" || $0 == " " })
        let line = words.joined(separator: " ")
        return line.count > 400 ? String(line.prefix(400)) + "…" : line
    }
}
