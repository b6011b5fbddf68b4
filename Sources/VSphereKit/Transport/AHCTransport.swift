import AsyncHTTPClient
import Dispatch
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// The real transport: async-http-client over HTTP/1.1 with keep-alive, one per vCenter
/// (stack-findings §1: URLSession on Linux can neither trust a given CA nor skip verification).
public final class AHCTransport: HTTPTransport {
    /// How the server's certificate is checked.
    public enum Trust: Sendable, Equatable {
        /// The system's roots.
        case system
        /// The system's roots plus the CA certificates in this PEM file (a VMCA root, the simulator's CA).
        case caFile(String)
        /// No verification at all (`insecure_connection: true`).
        case insecure
    }

    let host: String
    let client: HTTPClient
    /// Set last in `init`: a throwing init that had set an `Atomic` already crashes Swift 6.3's
    /// release build (an ownership-verifier fatal error on its partial destruction).
    private let closed: Atomic<Bool>
    static let chunkSize = 1 << 20
    static let timeout = TimeAmount.minutes(30)

    /// `host` is `name[:port]`, used in errors.
    public init(host: String, trust: Trust) throws(VSphereError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch trust {
        case .system: break
        case .caFile(let path):
            do {
                tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(path))]
            } catch {
                throw .localFile(path: path, reason: "not a PEM CA certificate (\(error))")
            }
        case .insecure: tls.certificateVerification = .none
        }
        // The connect limit covers the TLS handshake: on a loaded build host (parallel packers,
        // qemu) a handshake with a loopback vCenter took over 10 s, failing a build's step.
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, timeout: .init(connect: .seconds(60), read: .minutes(10)))
        configuration.httpVersion = .http1Only
        // A refused connection or an untrusted certificate is reported at once, not retried
        // until the connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        self.host = host
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        closed = Atomic(false)
    }

    public func send(_ request: HTTPRequest) async throws(VSphereError) -> HTTPResponse {
        do {
            let response = try await client.execute(try clientRequest(request), timeout: Self.timeout)
            var body = [UInt8]()
            for try await buffer in response.body { body.append(contentsOf: buffer.readableBytesView) }
            return HTTPResponse(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: body)
        } catch {
            throw (error as? VSphereError) ?? classify(error)
        }
    }

    public func download(
        _ request: HTTPRequest, into sink: @Sendable ([UInt8]) async throws -> Void
    ) async throws(VSphereError) -> Int {
        do {
            let response = try await client.execute(try clientRequest(request), timeout: Self.timeout)
            let status = Int(response.status.code)
            guard status < 300 else { return status }
            for try await buffer in response.body { try await sink(Array(buffer.readableBytesView)) }
            return status
        } catch {
            throw (error as? VSphereError) ?? classify(error)
        }
    }

    public func shutdown() async {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        try? await client.shutdown()
    }

    /// A transport dropped without `shutdown()` (a caller that failed early) still closes its
    /// connections, in the background.
    deinit {
        if !closed.load(ordering: .relaxed) { client.shutdown(queue: .global()) { _ in } }
    }

    private func clientRequest(_ request: HTTPRequest) throws(VSphereError) -> HTTPClientRequest {
        var result = HTTPClientRequest(url: request.url)
        result.method = .init(rawValue: request.method)
        for (name, value) in request.headers { result.headers.add(name: name, value: value) }
        switch request.body {
        case .none: break
        case .bytes(let bytes): result.body = .bytes(ByteBuffer(bytes: bytes))
        case .file(let path, let offset, let size):
            guard let chunks = FileChunks(path: path, offset: offset, size: size, chunkSize: Self.chunkSize) else {
                throw .localFile(path: path, reason: "cannot be opened for reading")
            }
            result.body = .stream(chunks, length: .known(size))
        }
        return result
    }

    /// Connection and TLS errors, named by what a user can act on.
    private func classify(_ error: any Error) -> VSphereError {
        let text = String(describing: error)
        if error is NIOSSLError || text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("handshake") {
            return .tls(host: host, reason: text.contains("CERTIFICATE_VERIFY_FAILED") ? "certificate not trusted" : text)
        }
        for known in ["Connection refused", "Connection reset", "connectTimeout", "remoteConnectionClosed", "deadlineExceeded"]
        where text.contains(known) {
            return .unreachable(host: host, reason: known)
        }
        return .unreachable(host: host, reason: text)
    }
}
