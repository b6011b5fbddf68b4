import Foundation

/// Where OpenNebula is and who is asking, read the OpenNebula way: `ONE_XMLRPC` (default
/// `http://localhost:2633/RPC2`) and `ONE_AUTH`, a file holding `user:password` (default
/// `~/.one/one_auth`) or the `user:password` itself. The session string never leaves this value
/// except into a request body.
public struct ONECredentials: Sendable, CustomStringConvertible {
    public let endpoint: String
    let session: String
    public let user: String

    public var description: String { "\(user)@\(endpoint)" }

    public init(endpoint: String, session: String) throws(ONEError) {
        guard let colon = session.firstIndex(of: ":"), colon != session.startIndex else {
            throw .configuration(source: "ONE_AUTH", reason: "expected user:password")
        }
        guard endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://") else {
            throw .configuration(source: "ONE_XMLRPC", reason: "expected an http(s) URL such as http://frontend:2633/RPC2")
        }
        self.endpoint = endpoint
        self.session = session
        self.user = String(session[..<colon])
    }

    /// From an environment's `ONE_XMLRPC`, `ONE_AUTH` and `HOME`. A file is read only when it is
    /// a regular file of at most 64 KiB.
    public static func resolve(_ environment: [String: String]) throws(ONEError) -> ONECredentials {
        let endpoint = environment["ONE_XMLRPC"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://localhost:2633/RPC2"
        let given = environment["ONE_AUTH"].flatMap { $0.isEmpty ? nil : $0 }
        let file = given ?? environment["HOME"].map { $0 + "/.one/one_auth" }
        if let file, FileManager.default.fileExists(atPath: file) {
            return try ONECredentials(endpoint: endpoint, session: try read(file))
        }
        if let given, given.contains(":"), !given.hasPrefix("/") { return try ONECredentials(endpoint: endpoint, session: given) }
        throw .configuration(
            source: given.map { "ONE_AUTH=\($0.contains(":") ? "<user:password>" : $0)" } ?? "ONE_AUTH",
            reason: given == nil ? "not set, and no ~/.one/one_auth" : "no such file")
    }

    static func read(_ path: String) throws(ONEError) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard (attributes?[.type] as? FileAttributeType) == .typeRegular, let size = attributes?[.size] as? Int, size <= 64 << 10,
            let data = FileManager.default.contents(atPath: path)
        else { throw .configuration(source: "ONE_AUTH=\(path)", reason: "not a readable regular file of at most 64 KiB") }
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).first ?? ""
        return line.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
