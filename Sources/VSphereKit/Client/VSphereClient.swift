/// A vim25 client for one vCenter: one session shared by every operation of a run.
///
/// The session is made on first use (SOAP `Login`; the `vmware_soap_session` cookie is kept here,
/// AHC has no cookie jar). A call answered with `NotAuthenticated` — as a SOAP fault, or, on the
/// simulator, inside RetrievePropertiesEx's `missingSet` — logs in again once and is retried.
/// `logout()` ends the session and closes the transport.
public actor VSphereClient {
    public nonisolated let host: String
    nonisolated let username: String
    nonisolated let password: String
    nonisolated let userAgent: String
    public nonisolated let transport: any HTTPTransport

    var cookie: String?
    var pendingLogin: Task<String, any Error>?
    var cachedContent: ServiceContent?
    var cachedREST: String?
    /// Set when the host could not be reached: logout does not try again.
    var unreachable = false

    /// `host` is `name[:port]` as in packer's `vcenter_server`.
    public init(
        host: String, username: String, password: String, transport: any HTTPTransport,
        userAgent: String = "image-builder"
    ) {
        self.host = host
        self.username = username
        self.password = password
        self.transport = transport
        self.userAgent = userAgent
    }

    nonisolated var baseURL: String { "https://\(host)" }

    /// The managers of this vCenter (asked once).
    public func content() async throws(VSphereError) -> ServiceContent {
        if let cachedContent { return cachedContent }
        let body = try await post("RetrieveServiceContent", SOAPEnvelope.call("RetrieveServiceContent", on: ServiceContent.instance), cookie: nil)
        guard let returnval = body.child("returnval"), let content = ServiceContent(returnval) else {
            throw .invalidResponse(host: host, reason: "RetrieveServiceContent without its managers")
        }
        cachedContent = content
        return content
    }

    /// Logs in now (otherwise the first call does). Concurrent callers share one login.
    public func login() async throws(VSphereError) {
        _ = try await session(replacing: nil)
    }

    /// Ends the session (if any) and closes the transport.
    public func logout() async {
        await endRESTSession()
        if let cookie, let manager = cachedContent?.sessionManager, !unreachable {
            _ = try? await post("Logout", SOAPEnvelope.call("Logout", on: manager), cookie: cookie)
        }
        cookie = nil
        await transport.shutdown()
    }

    /// Calls `method` on `object` with the session; re-logs in once on NotAuthenticated.
    public func invoke(_ method: String, on object: ManagedObjectReference, _ parameters: [String] = []) async throws(VSphereError) -> XMLNode {
        let envelope = SOAPEnvelope.call(method, on: object, parameters: parameters)
        let used = try await session(replacing: nil)
        do {
            return try await post(method, envelope, cookie: used)
        } catch let error where error.faultType == "NotAuthenticated" {
            let renewed = try await session(replacing: used)
            return try await post(method, envelope, cookie: renewed)
        }
    }

    /// The current session cookie; a new login when there is none or when `stale` is the current one.
    private func session(replacing stale: String?) async throws(VSphereError) -> String {
        if let cookie, cookie != stale { return cookie }
        if stale != nil, cookie == stale { cookie = nil }
        if let pendingLogin {
            do { return try await pendingLogin.value } catch { throw error as? VSphereError ?? .configuration("\(error)") }
        }
        let task = Task<String, any Error> { try await self.performLogin() }
        pendingLogin = task
        defer { pendingLogin = nil }
        do {
            let value = try await task.value
            cookie = value
            return value
        } catch {
            throw error as? VSphereError ?? .configuration("\(error)")
        }
    }

    private func performLogin() async throws(VSphereError) -> String {
        let manager = try await content().sessionManager
        let parameters = ["<userName>\(XMLText.escape(username))</userName>", "<password>\(XMLText.escape(password))</password>"]
        var received: String?
        _ = try await post("Login", SOAPEnvelope.call("Login", on: manager, parameters: parameters), cookie: nil) { cookie in
            received = cookie
        }
        guard let received else { throw .invalidResponse(host: host, reason: "Login answered without a session cookie") }
        return received
    }

    /// One SOAP round trip. `onCookie` receives a `vmware_soap_session` the reply sets.
    func post(
        _ method: String, _ envelope: String, cookie: String?,
        onCookie: (String) -> Void = { _ in }
    ) async throws(VSphereError) -> XMLNode {
        var headers = [("Content-Type", "text/xml; charset=utf-8"), ("SOAPAction", "urn:vim25/6.5"), ("User-Agent", userAgent)]
        if let cookie { headers.append(("Cookie", "vmware_soap_session=\(cookie)")) }
        let response: HTTPResponse
        do {
            response = try await transport.send(
                HTTPRequest(method: "POST", url: baseURL + "/sdk", headers: headers, body: .bytes(Array(envelope.utf8))))
        } catch {
            if case .unreachable = error { unreachable = true }
            throw error
        }
        for (name, value) in response.headers where name.lowercased() == "set-cookie" {
            if let session = Self.sessionCookie(value) { onCookie(session) }
        }
        let body: XMLNode
        do {
            body = try SOAPResponse.body(response.body)
        } catch let fault as SOAPFault {
            throw .fault(host: host, method: method, fault)
        } catch {
            if response.status >= 300 { throw .http(host: host, status: response.status, url: baseURL + "/sdk") }
            throw .invalidResponse(host: host, reason: "\(method): \(error)")
        }
        if let fault = SOAPResponse.missingFault(body, type: "NotAuthenticated") {
            throw .fault(host: host, method: method, fault)
        }
        return body
    }

    /// `vmware_soap_session="…"; Path=/` → the value without quotes.
    static func sessionCookie(_ header: String) -> String? {
        guard let pair = header.split(separator: ";").first, pair.hasPrefix("vmware_soap_session=") else { return nil }
        let value = pair.dropFirst("vmware_soap_session=".count)
        return String(value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? value.dropFirst().dropLast() : value)
    }
}
