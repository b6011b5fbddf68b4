import Synchronization

/// What vCenter knows about a VM whose guest seems stuck: its power and tools state, its
/// heartbeat and IP, the last events on it, and a console screenshot.
extension VSphereClient {
    /// The guest as vCenter sees it (values as vCenter spells them; empty when it has none).
    public struct GuestState: Sendable, Equatable, Codable {
        public let powerState: String
        /// `guest.toolsStatus`: toolsNotInstalled, toolsNotRunning, toolsOld, toolsOk.
        public let toolsStatus: String
        /// `guest.toolsRunningStatus`: guestToolsNotRunning, guestToolsRunning, …
        public let toolsRunningStatus: String
        /// `guestHeartbeatStatus`: gray (no tools), green, yellow, red.
        public let heartbeat: String
        public let ipAddress: String?

        /// One line: `poweredOn, tools toolsNotRunning, heartbeat gray, no IP`.
        public var summary: String {
            [
                powerState.isEmpty ? "power state unknown" : powerState, "tools " + (toolsStatus.isEmpty ? "unknown" : toolsStatus),
                "heartbeat " + (heartbeat.isEmpty ? "unknown" : heartbeat), ipAddress.map { "IP " + $0 } ?? "no IP",
            ].joined(separator: ", ")
        }
    }

    public func guestState(_ vm: ManagedObjectReference) async throws(VSphereError) -> GuestState {
        let values = try await properties(
            of: vm, ["runtime.powerState", "guest.toolsStatus", "guest.toolsRunningStatus", "guestHeartbeatStatus", "guest.ipAddress"])
        func text(_ name: String) -> String { values[name]?.string ?? values[name]?.node?.text ?? "" }
        let ip = text("guest.ipAddress")
        return GuestState(
            powerState: text("runtime.powerState"), toolsStatus: text("guest.toolsStatus"),
            toolsRunningStatus: text("guest.toolsRunningStatus"), heartbeat: text("guestHeartbeatStatus"),
            ipAddress: ip.isEmpty ? nil : ip)
    }

    /// The newest `count` events on the VM, oldest first: `<time> <type>: <message>`.
    public func recentEvents(_ vm: ManagedObjectReference, count: Int = 10) async throws(VSphereError) -> [String] {
        guard let manager = try await content().eventManager else { return [] }
        let body = try await invoke(
            "QueryEvents", on: manager,
            [
                "<filter><entity><entity type=\"\(vm.type)\">\(XMLText.escape(vm.value))</entity><recursion>self</recursion></entity>"
                    + "<maxCount>\(max(1, count * 10))</maxCount></filter>"
            ])
        let events = body.children("returnval").map { event in
            let time = event.child("createdTime")?.text ?? ""
            let message = event.child("fullFormattedMessage")?.text ?? ""
            return (key: Int(event.child("key")?.text ?? "") ?? 0, line: "\(time) \(event.xsiType ?? "Event"): \(message)")
        }
        return events.sorted { $0.key < $1.key }.suffix(count).map(\.line)
    }

    /// A screenshot of the VM's console (CreateScreenshot_Task): where vCenter wrote the PNG.
    public func createScreenshot(_ vm: ManagedObjectReference) async throws(VSphereError) -> DatastorePath {
        let result = try await runTask("CreateScreenshot_Task", on: vm)
        guard let text = result?.text, let path = DatastorePath(text) else {
            throw .invalidResponse(host: host, reason: "CreateScreenshot_Task returned no datastore path")
        }
        return path
    }

    /// A datastore file of at most `limit` bytes (a screenshot, a sidecar); larger is an error.
    public func readDatastoreFile(_ file: DatastorePath, datacenter: String, limit: Int) async throws(VSphereError) -> [UInt8] {
        let url = folderURL(file, datacenter: datacenter)
        let collected = Mutex<(bytes: [UInt8], tooLarge: Bool)>(([], false))
        let status: Int
        do {
            status = try await transport.download(HTTPRequest(method: "GET", url: url, headers: sessionHeaders())) { chunk in
                try collected.withLock { state in
                    guard state.bytes.count + chunk.count <= limit else {
                        state.tooLarge = true
                        throw FileTooLarge()
                    }
                    state.bytes += chunk
                }
            }
        } catch {
            if collected.withLock({ $0.tooLarge }) {
                throw .localFile(path: "[\(file.datastore)] \(file.path)", reason: "larger than \(limit) bytes")
            }
            throw error
        }
        guard (200..<300).contains(status) else {
            if status == 404 { throw .notFound(host: host, what: "[\(file.datastore)] \(file.path)") }
            throw .http(host: host, status: status, url: url)
        }
        return collected.withLock { $0.bytes }
    }

    private struct FileTooLarge: Error {}
}
