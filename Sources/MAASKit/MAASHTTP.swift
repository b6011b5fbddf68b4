import AsyncHTTPClient
import Dispatch
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// HTTP/1.1 to a MAAS region over async-http-client; every request is signed as it is built, so
/// a signature is never older than the request (a chunk retried later gets a new one).
public final class MAASHTTP: Sendable {
    public enum Trust: Sendable, Equatable { case system, caFile(String), insecure }

    public struct Response: Sendable {
        public let status: Int
        public let body: [UInt8]
    }

    let client: HTTPClient
    let credentials: MAASCredentials
    /// Set last in `init`: a throwing init that had set an `Atomic` already crashes Swift 6.3's
    /// release build (an ownership-verifier fatal error on its partial destruction).
    private let closed: Atomic<Bool>
    static let answerLimit = 16 << 20

    public init(credentials: MAASCredentials, trust: Trust = .system) throws(MAASError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch trust {
        case .system: break
        case .caFile(let path):
            do { tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(path))] } catch {
                throw .configuration(file: path, key: "MAAS_CA_FILE", reason: "not a PEM CA certificate")
            }
        case .insecure: tls.certificateVerification = .none
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, timeout: .init(connect: .seconds(10), read: .minutes(10)))
        configuration.httpVersion = .http1Only
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.credentials = credentials
        closed = Atomic(false)
    }

    /// A request with an optional body (a form, or one 4 MiB chunk) and its exact Content-Length.
    public func send(
        _ method: String, _ url: String, contentType: String? = nil, body: [UInt8]? = nil
    ) async throws(MAASError) -> Response {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        request.headers.add(name: "Accept", value: "application/json")
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body {
            request.headers.add(name: "Content-Length", value: String(body.count))
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        // Signed last, immediately before the request goes out.
        request.headers.add(name: "Authorization", value: credentials.authorization())
        do {
            let response = try await client.execute(request, timeout: .minutes(10))
            var answer = [UInt8]()
            for try await buffer in response.body {
                guard answer.count + buffer.readableBytes <= Self.answerLimit else {
                    throw MAASError.malformed(url: url, reason: "an answer over \(Self.answerLimit) bytes")
                }
                answer.append(contentsOf: buffer.readableBytesView)
            }
            return Response(status: Int(response.status.code), body: answer)
        } catch let error as MAASError {
            throw error
        } catch {
            let text = String(describing: error)
            if error is NIOSSLError || text.contains("CERTIFICATE_VERIFY_FAILED") {
                throw .unreachable(url: url, reason: "TLS: the certificate is not trusted (MAAS_CA_FILE)")
            }
            let known = ["Connection refused", "Connection reset", "connectTimeout", "remoteConnectionClosed", "cancelled"]
            throw .unreachable(url: url, reason: known.first { text.contains($0) } ?? String(text.prefix(300)))
        }
    }

    public func shutdown() async {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        try? await client.shutdown()
    }

    deinit {
        if !closed.load(ordering: .relaxed) { client.shutdown(queue: .global()) { _ in } }
    }
}
