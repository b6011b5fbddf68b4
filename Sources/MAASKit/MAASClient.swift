#if canImport(Glibc)
    import Glibc
#endif

/// MAAS API 2.0's boot resources: create an uploaded resource, read it, and upload its file in
/// chunks (what `maas $PROFILE boot-resources create … content@=FILE` does).
public struct MAASClient: Sendable {
    public let http: MAASHTTP

    public init(http: MAASHTTP) { self.http = http }

    var credentials: MAASCredentials { http.credentials }

    private func checked(_ response: MAASHTTP.Response, _ method: String, _ url: String) throws(MAASError) -> MAASHTTP.Response {
        switch response.status {
        case 200..<300: return response
        case 401: throw .authentication(url: url, status: 401, message: MAASError.message(response.body))
        default: throw .http(method: method, url: url, status: response.status, message: MAASError.message(response.body))
        }
    }

    /// `POST boot-resources/`: multipart form, fields sorted by name (as the maas CLI sends them).
    public func createBootResource(
        name: String, title: String, architecture: String, filetype: String, sha256: String, size: Int64
    ) async throws(MAASError) -> BootResource {
        let form = MultipartForm(fields: [
            ("architecture", architecture), ("filetype", filetype), ("name", name), ("sha256", sha256), ("size", String(size)),
            ("title", title),
        ])
        let url = credentials.apiRoot + "boot-resources/"
        let response = try checked(try await http.send("POST", url, contentType: form.contentType, body: form.body), "POST", url)
        return try BootResource.parse(response.body, url: url)
    }

    public func bootResource(id: Int) async throws(MAASError) -> BootResource {
        let url = credentials.apiRoot + "boot-resources/\(id)/"
        return try BootResource.parse(try checked(try await http.send("GET", url), "GET", url).body, url: url)
    }

    /// One chunk: `count` bytes of `path` at `offset`, PUT to `uploadURI` with its exact length.
    public func uploadChunk(_ uploadURI: String, path: String, offset: Int64, count: Int) async throws(MAASError) {
        let url = uploadURI.hasPrefix("http") ? uploadURI : credentials.origin + uploadURI
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .localFile(path: path, reason: "cannot be opened") }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes[done...].withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(offset) + off_t(done)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw .localFile(path: path, reason: "shorter than it was (\(offset + Int64(done)) bytes)") }
            done += n
        }
        _ = try checked(try await http.send("PUT", url, contentType: "application/octet-stream", body: bytes), "PUT", url)
    }
}
