import AsyncHTTPClient
import Dispatch
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

/// OpenNebula's XML-RPC API (`one.*`) over async-http-client: the calls an image publish needs.
/// Every call carries the session string as its first parameter, as OpenNebula's own clients do.
public final class ONEClient: Sendable {
    let http: HTTPClient
    public let credentials: ONECredentials
    /// Set last in `init`: a throwing init that had set an `Atomic` already crashes Swift 6.3's
    /// release build (an ownership-verifier fatal error on its partial destruction).
    private let closed: Atomic<Bool>
    static let answerLimit = 64 << 20

    public init(credentials: ONECredentials, caFile: String? = nil) throws(ONEError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            do { tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile))] } catch {
                throw .configuration(source: "ONE_CA_FILE=\(caFile)", reason: "not a PEM CA certificate")
            }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls, timeout: .init(connect: .seconds(10), read: .minutes(5)))
        configuration.httpVersion = .http1Only
        configuration.redirectConfiguration = .disallow
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.credentials = credentials
        closed = Atomic(false)
    }

    /// Calls `method` with the session first; returns the value of a successful answer.
    public func call(_ method: String, _ parameters: [XMLRPCValue]) async throws(ONEError) -> XMLRPCValue {
        var request = HTTPClientRequest(url: credentials.endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "text/xml")
        let body = Array(XMLRPCValue.call(method, [.string(credentials.session)] + parameters).utf8)
        request.headers.add(name: "Content-Length", value: String(body.count))
        request.body = .bytes(ByteBuffer(bytes: body))
        var answer = [UInt8]()
        let status: UInt
        do {
            let response = try await http.execute(request, timeout: .minutes(5))
            status = response.status.code
            for try await buffer in response.body {
                guard answer.count + buffer.readableBytes <= Self.answerLimit else {
                    throw ONEError.malformed(method: method, reason: "an answer over \(Self.answerLimit >> 20) MiB")
                }
                answer.append(contentsOf: buffer.readableBytesView)
            }
        } catch let error as ONEError {
            throw error
        } catch {
            let text = String(describing: error)
            let known = ["Connection refused", "Connection reset", "connectTimeout", "remoteConnectionClosed", "CERTIFICATE_VERIFY_FAILED"]
            throw .unreachable(endpoint: credentials.endpoint, reason: known.first { text.contains($0) } ?? String(text.prefix(300)))
        }
        guard status == 200 else { throw .unreachable(endpoint: credentials.endpoint, reason: "HTTP \(status)") }
        switch XMLRPCResponse.parse(answer) {
        case .fault(let code, let message)?: throw .failed(method: method, message: message, code: code)
        case .value(let value)?:
            guard let items = value.array, let success = items.first?.bool, items.count >= 2 else {
                throw .malformed(method: method, reason: "not [success, value, code]")
            }
            if success { return items[1] }
            let message = items[1].string ?? "\(items[1])"
            let code = items.count > 2 ? items[2].int ?? 0 : 0
            if code & ONEError.authenticationCode != 0 { throw .authentication(message: message) }
            throw .failed(method: method, message: message, code: code)
        case nil: throw .malformed(method: method, reason: "not an XML-RPC methodResponse")
        }
    }

    /// A call whose value is an XML document (`one.image.info`, the pools).
    func document(_ method: String, _ parameters: [XMLRPCValue]) async throws(ONEError) -> XMLTreeNode {
        let value = try await call(method, parameters)
        guard let text = value.string, let root = XMLTreeNode.parse(Array(text.utf8)) else {
            throw .malformed(method: method, reason: "not an XML document")
        }
        return root
    }

    public func shutdown() async {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        try? await http.shutdown()
    }

    deinit {
        if !closed.load(ordering: .relaxed) { http.shutdown(queue: .global()) { _ in } }
    }
}
