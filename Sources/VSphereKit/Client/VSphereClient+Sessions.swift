/// The vCenter's own record of sessions: who logged in, from which client.
extension VSphereClient {
    /// A login as recorded by vCenter's event log.
    public struct LoginEvent: Sendable, Equatable {
        public let userName: String
        public let userAgent: String
        public let sessionID: String
    }

    /// Every `UserLoginSessionEvent` vCenter kept (the event log, not this client's memory).
    public func loginEvents() async throws(VSphereError) -> [LoginEvent] {
        guard let manager = try await content().eventManager else { return [] }
        let body = try await invoke("QueryEvents", on: manager, ["<filter><type>UserLoginSessionEvent</type><maxCount>1000</maxCount></filter>"])
        return body.children("returnval").filter { $0.xsiType == "UserLoginSessionEvent" }.map { event in
            LoginEvent(
                userName: event.child("userName")?.text ?? "", userAgent: event.child("userAgent")?.text ?? "",
                sessionID: event.child("sessionId")?.text ?? "")
        }
    }

    /// The key of this client's session (`currentSession.key`).
    public func sessionKey() async throws(VSphereError) -> String {
        let manager = try await content().sessionManager
        guard let key = try await properties(of: manager, ["currentSession"])["currentSession"]?.node?.child("key")?.text else {
            throw .invalidResponse(host: host, reason: "no current session")
        }
        return key
    }

    /// Ends another session (as an administrator would, or an idle timeout does).
    public func terminateSession(_ key: String) async throws(VSphereError) {
        let manager = try await content().sessionManager
        _ = try await invoke("TerminateSession", on: manager, ["<sessionId>\(XMLText.escape(key))</sessionId>"])
    }
}
