/// One HTTP request to vCenter (SOAP, REST, datastore or NFC).
public struct HTTPRequest: Sendable {
    /// What is sent: bytes held in memory, or a file streamed from disk.
    public enum Body: Sendable {
        case none
        case bytes([UInt8])
        /// `size` bytes of a file from `offset` (a whole file, or a member of an OVA's tar),
        /// streamed in chunks: memory stays constant whatever the size.
        case file(path: String, offset: Int64, size: Int64)
    }

    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: Body

    public init(method: String, url: String, headers: [(String, String)] = [], body: Body = .none) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of the first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// A whole response (SOAP and REST replies are small).
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// The seam between the client and the network. `AHCTransport` is the real one; tests wrap it to
/// inject faults a real vCenter raises and the simulator does not.
public protocol HTTPTransport: Sendable {
    /// Sends a request and collects the whole response.
    func send(_ request: HTTPRequest) async throws(VSphereError) -> HTTPResponse
    /// Sends a request and hands the response body to `sink` chunk by chunk (constant memory);
    /// returns the status. The sink is not called for a status of 300 or more.
    func download(
        _ request: HTTPRequest, into sink: @Sendable ([UInt8]) async throws -> Void
    ) async throws(VSphereError) -> Int
    /// Closes connections; the transport is unusable afterwards.
    func shutdown() async
}
