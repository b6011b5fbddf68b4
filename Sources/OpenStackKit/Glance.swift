import Foundation
import Synchronization

/// Glance v2: create an image record, stream its data, read, list with property filters, delete.
public struct Glance: Sendable {
    /// The `/v2` root.
    public let root: String
    let token: SecretText
    let http: OpenStackHTTP

    /// `endpoint` as the catalog gives it (`http://host:9292`, `…/image`, `…/v2`).
    public init(endpoint: String, token: SecretText, http: OpenStackHTTP) {
        var base = endpoint
        while base.hasSuffix("/") { base.removeLast() }
        let last = base.split(separator: "/").last.map(String.init) ?? ""
        root = last.hasPrefix("v2") ? base : base + "/v2"
        self.token = token
        self.http = http
    }

    var headers: [(String, String)] { [("X-Auth-Token", token.reveal), ("Accept", "application/json")] }

    private func call(_ method: String, _ url: String, body: JSONValue? = nil, contentType: String = "application/json") async throws(OpenStackError)
        -> OpenStackHTTP.Response
    {
        var headers = headers
        if body != nil { headers.append(("Content-Type", contentType)) }
        let response = try await http.send(service: "Glance", method: method, url: url, headers: headers, body: body?.encoded())
        if response.status == 401 {
            throw .authentication(url: url, status: 401, message: "Glance refused the token: " + OpenStackError.message(from: response.body))
        }
        guard response.status < 300 else {
            throw .http(service: "Glance", method: method, url: url, status: response.status, message: OpenStackError.message(from: response.body))
        }
        return response
    }

    private func image(from response: OpenStackHTTP.Response, url: String) throws(OpenStackError) -> GlanceImage {
        guard let json = try? JSONValue.parse(response.body), let image = GlanceImage(json) else {
            throw .malformed(service: "Glance", url: url, reason: "not an image record")
        }
        return image
    }

    /// `POST /v2/images`: a `queued` record with these fields and properties.
    public func create(
        name: String, diskFormat: String, containerFormat: String, visibility: String?, properties: [String: String]
    ) async throws(OpenStackError) -> GlanceImage {
        var fields: [String: JSONValue] = properties.mapValues { .string($0) }
        fields["name"] = .string(name)
        fields["disk_format"] = .string(diskFormat)
        fields["container_format"] = .string(containerFormat)
        if let visibility { fields["visibility"] = .string(visibility) }
        let url = root + "/images"
        return try image(from: try await call("POST", url, body: .object(fields)), url: url)
    }

    public func image(id: String) async throws(OpenStackError) -> GlanceImage {
        let url = root + "/images/" + id
        return try image(from: try await call("GET", url), url: url)
    }

    /// Every image visible to the token whose fields equal `filters` (Glance filters on custom
    /// properties too), following `next` links.
    public func images(matching filters: [String: String]) async throws(OpenStackError) -> [GlanceImage] {
        let query = filters.keys.sorted().map { "\(Self.escape($0))=\(Self.escape(filters[$0]!))" }.joined(separator: "&")
        var next: String? = "/images?limit=100" + (query.isEmpty ? "" : "&" + query)
        var found: [GlanceImage] = []
        var pages = 0
        while let page = next, pages < 1000 {
            pages += 1
            let url = page.hasPrefix("/v2/") ? String(root.dropLast(3)) + page : root + page
            let response = try await call("GET", url)
            guard let json = try? JSONValue.parse(response.body), let items = json["images"]?.array else {
                throw .malformed(service: "Glance", url: url, reason: "not an image list")
            }
            found += items.compactMap(GlanceImage.init)
            next = json["next"]?.string
        }
        return found
    }

    public func delete(id: String) async throws(OpenStackError) {
        _ = try await call("DELETE", root + "/images/" + id)
    }

    public struct Upload: Sendable {
        public let bytes: Int64
        /// sha512 of the bytes sent, in hex: Glance's default `os_hash_algo`.
        public let sha512: String
    }

    /// `PUT /v2/images/{id}/file`: `size` bytes of `path` from `offset`, streamed; `observe` sees
    /// every chunk (for progress and other digests).
    public func upload(
        id: String, path: String, offset: Int64, size: Int64, observe: @escaping @Sendable (UnsafeRawBufferPointer) -> Void = { _ in }
    ) async throws(OpenStackError) -> Upload {
        let digest = Meter()
        let url = root + "/images/\(id)/file"
        let response = try await http.upload(
            service: "Glance", method: "PUT", url: url, headers: headers + [("Content-Type", "application/octet-stream")],
            path: path, offset: offset, size: size
        ) { chunk in
            digest.state.withLock { state in
                state.0.update(bufferPointer: chunk)
                state.1 += Int64(chunk.count)
            }
            observe(chunk)
        }
        if response.status == 401 {
            throw .authentication(url: url, status: 401, message: "Glance refused the token: " + OpenStackError.message(from: response.body))
        }
        guard response.status < 300 else {
            throw .http(service: "Glance", method: "PUT", url: url, status: response.status, message: OpenStackError.message(from: response.body))
        }
        let bytes = digest.state.withLock { $0.1 }
        let hex = digest.state.withLock { state -> String in state.0.finalize().map { String(format: "%02x", $0) }.joined() }
        return Upload(bytes: bytes, sha512: hex)
    }

    /// RFC 3986 unreserved characters kept, everything else percent-encoded (query keys and values).
    static func escape(_ text: String) -> String {
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}

/// The running sha512 and byte count of an upload, fed from the upload's chunks.
private final class Meter: Sendable {
    let state = Mutex((SHA512(), Int64(0)))
}
