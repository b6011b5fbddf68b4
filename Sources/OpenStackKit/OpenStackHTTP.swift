import AsyncHTTPClient
import Dispatch
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// HTTP/1.1 to Keystone and Glance over async-http-client (URLSession on Linux can neither trust
/// a given CA nor skip verification). Answers are read up to a bound; uploads stream from a file.
public final class OpenStackHTTP: Sendable {
    public struct Response: Sendable {
        public let status: Int
        public let headers: [(String, String)]
        public let body: [UInt8]

        public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    let client: HTTPClient
    /// Set last in `init`: a throwing init that had set an `Atomic` already crashes Swift 6.3's
    /// release build (an ownership-verifier fatal error on its partial destruction).
    private let closed: Atomic<Bool>
    /// A JSON answer larger than this is refused (an image list page is a few hundred KiB).
    static let answerLimit = 32 << 20
    static let timeout = TimeAmount.hours(6)

    public init(trust: CloudAuth.Trust) throws(OpenStackError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch trust {
        case .system: break
        case .caFile(let path):
            do {
                tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(path))]
            } catch {
                throw .configuration(file: path, key: "cacert", reason: "not a PEM CA certificate")
            }
        case .insecure: tls.certificateVerification = .none
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, timeout: .init(connect: .seconds(10), read: .minutes(30)))
        configuration.httpVersion = .http1Only
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        closed = Atomic(false)
    }

    /// A request with an optional JSON (or other) body; the whole answer is read.
    public func send(
        service: String, method: String, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil
    ) async throws(OpenStackError) -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        return try await execute(request, service: service, url: url)
    }

    /// `size` bytes of `path` from `offset` as the request body, streamed in 1 MiB chunks;
    /// `observe` sees every chunk in order, before it is sent.
    public func upload(
        service: String, method: String, url: String, headers: [(String, String)], path: String, offset: Int64, size: Int64,
        observe: @escaping @Sendable (UnsafeRawBufferPointer) -> Void
    ) async throws(OpenStackError) -> Response {
        guard let chunks = UploadChunks(path: path, offset: offset, size: size, observe: observe) else {
            throw .localFile(path: path, reason: "cannot be opened for reading")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .stream(chunks, length: .known(size))
        return try await execute(request, service: service, url: url)
    }

    private func execute(_ request: HTTPClientRequest, service: String, url: String) async throws(OpenStackError) -> Response {
        do {
            let response = try await client.execute(request, timeout: Self.timeout)
            var body = [UInt8]()
            for try await buffer in response.body {
                guard body.count + buffer.readableBytes <= Self.answerLimit else {
                    throw OpenStackError.malformed(service: service, url: url, reason: "an answer over \(Self.answerLimit) bytes")
                }
                body.append(contentsOf: buffer.readableBytesView)
            }
            return Response(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: body)
        } catch let error as OpenStackError {
            throw error
        } catch is CancellationError {
            throw .unreachable(service: service, url: url, reason: "cancelled")
        } catch {
            throw Self.classify(error, service: service, url: url)
        }
    }

    static func classify(_ error: any Error, service: String, url: String) -> OpenStackError {
        let text = String(describing: error)
        if error is NIOSSLError || text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("handshake") {
            return .unreachable(
                service: service, url: url,
                reason: text.contains("CERTIFICATE_VERIFY_FAILED")
                    ? "its certificate is not trusted (give the CA with cacert / OS_CACERT)" : "TLS: \(text)")
        }
        for known in ["Connection refused", "Connection reset", "connectTimeout", "remoteConnectionClosed", "deadlineExceeded", "cancelled"]
        where text.contains(known) {
            return .unreachable(service: service, url: url, reason: known)
        }
        return .unreachable(service: service, url: url, reason: OpenStackError.oneLine(text))
    }

    public func shutdown() async {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        try? await client.shutdown()
    }

    deinit {
        if !closed.load(ordering: .relaxed) { client.shutdown(queue: .global()) { _ in } }
    }
}
