import Foundation

/// Deploying an OVF: OvfManager.CreateImportSpec, ResourcePool.ImportVApp, then the disks
/// uploaded through the HttpNfcLease (streamed from disk; an OVA's members are read in place).
extension VSphereClient {
    /// A file the descriptor references: `size` bytes of `path` from `offset`.
    public struct FileSlice: Sendable, Equatable {
        public let path: String
        public let offset: Int64
        public let size: Int64

        public init(path: String, offset: Int64 = 0, size: Int64) {
            self.path = path
            self.offset = offset
            self.size = size
        }
    }

    /// Where an imported VM goes.
    public struct Placement: Sendable {
        public var pool: ManagedObjectReference
        public var datastore: ManagedObjectReference
        public var folder: ManagedObjectReference?
        /// OVF network name → vSphere network.
        public var networks: [(String, ManagedObjectReference)]

        public init(
            pool: ManagedObjectReference, datastore: ManagedObjectReference, folder: ManagedObjectReference? = nil,
            networks: [(String, ManagedObjectReference)] = []
        ) {
            self.pool = pool
            self.datastore = datastore
            self.folder = folder
            self.networks = networks
        }
    }

    /// Imports the OVF `descriptor` as `name`; `files` maps each referenced file name (the
    /// descriptor's `ovf:href`) to its bytes. Returns the new VM.
    public func importOVF(
        descriptor: String, name: String, files: [String: FileSlice], placement: Placement,
        progress: @Sendable (Int) -> Void = { _ in }
    ) async throws(VSphereError) -> ManagedObjectReference {
        guard let manager = try await content().ovfManager else { throw .notFound(host: host, what: "OvfManager") }
        let mappings = placement.networks.map { "<networkMapping><name>\(XMLText.escape($0.0))</name>\($0.1.xml("network"))</networkMapping>" }
        let created = try await invoke(
            "CreateImportSpec", on: manager,
            [
                "<ovfDescriptor>\(XMLText.escape(descriptor))</ovfDescriptor>", placement.pool.xml("resourcePool"),
                placement.datastore.xml("datastore"),
                "<cisp><locale></locale><deploymentOption></deploymentOption><entityName>\(XMLText.escape(name))</entityName>"
                    + mappings.joined() + "<diskProvisioning>thin</diskProvisioning></cisp>",
            ])
        guard let result = created.child("returnval"), let spec = result.child("importSpec") else {
            throw .invalidResponse(host: host, reason: "CreateImportSpec returned no import spec")
        }
        if let error = result.children("error").first {
            throw .fault(host: host, method: "CreateImportSpec", Self.fault(error, task: manager))
        }
        let items = result.children("fileItem").map {
            (
                deviceId: $0.child("deviceId")?.text ?? "", path: $0.child("path")?.text ?? "",
                create: $0.child("create")?.text == "true"
            )
        }
        for item in items where files[item.path] == nil {
            throw .notFound(host: host, what: "file \(item.path) of the OVF")
        }
        let leaseReply = try await invoke(
            "ImportVApp", on: placement.pool, [spec.xml(named: "spec")] + (placement.folder.map { [$0.xml("folder")] } ?? []))
        guard let lease = leaseReply.child("returnval").flatMap(ManagedObjectReference.init) else {
            throw .invalidResponse(host: host, reason: "ImportVApp returned no lease")
        }
        let info = try await readyLease(lease)
        let total = max(1, items.reduce(Int64(0)) { $0 + (files[$1.path]?.size ?? 0) })
        var sent: Int64 = 0
        do {
            for item in items {
                guard let slice = files[item.path] else { continue }
                guard let device = info.children("deviceUrl").first(where: { $0.child("importKey")?.text == item.deviceId }),
                    let url = device.child("url")?.text
                else { throw VSphereError.invalidResponse(host: host, reason: "the lease has no URL for \(item.deviceId)") }
                try await transfer(
                    HTTPRequest(
                        method: item.create ? "PUT" : "POST", url: nfcURL(url),
                        headers: [
                            ("Content-Type", "application/x-vnd.vmware-streamVmdk"), ("Content-Length", String(slice.size)),
                        ], body: .file(path: slice.path, offset: slice.offset, size: slice.size)))
                sent += slice.size
                let percent = Int(sent * 100 / total)
                _ = try await invoke("HttpNfcLeaseProgress", on: lease, ["<percent>\(percent)</percent>"])
                progress(percent)
            }
            _ = try await invoke("HttpNfcLeaseComplete", on: lease)
        } catch {
            _ = try? await invoke("HttpNfcLeaseAbort", on: lease)
            throw (error as? VSphereError) ?? .invalidResponse(host: host, reason: "\(error)")
        }
        guard let vm = info.child("entity").flatMap(ManagedObjectReference.init) else {
            throw .invalidResponse(host: host, reason: "the lease names no virtual machine")
        }
        return vm
    }

    /// Waits until the lease is `ready` (its `info`) or fails with its error.
    func readyLease(_ lease: ManagedObjectReference) async throws(VSphereError) -> XMLNode {
        for attempt in 0..<600 {
            let values = try await properties(of: lease, ["state", "error", "info"])
            switch values["state"]?.string {
            case "ready":
                guard let info = values["info"]?.node else { throw .invalidResponse(host: host, reason: "a ready lease without info") }
                return info
            case "error":
                throw .taskFailed(host: host, task: "HttpNfcLease", Self.fault(values["error"]?.node, task: lease))
            default:
                do { try await Task.sleep(nanoseconds: UInt64(min(attempt + 1, 10)) * 50_000_000) } catch {
                    throw .unreachable(host: host, reason: "cancelled while waiting for the lease")
                }
            }
        }
        throw .invalidResponse(host: host, reason: "lease \(lease.value) did not become ready")
    }

    /// NFC URLs name the host `*`: this vCenter (as a real one does it, through its address).
    nonisolated func nfcURL(_ url: String) -> String {
        url.replacingFirst("://*/", with: "://\(host)/")
    }

    /// User-Agent and, once logged in, the session cookie: what NFC and /folder transfers carry.
    func sessionHeaders() -> [(String, String)] {
        [("User-Agent", userAgent)] + (cookie.map { [("Cookie", "vmware_soap_session=\($0)")] } ?? [])
    }

    /// An upload or a whole-response request with the session cookie; fails on a non-2xx status.
    func transfer(_ request: HTTPRequest) async throws(VSphereError) {
        var request = request
        request.headers += sessionHeaders()
        let response = try await transport.send(request)
        guard (200..<300).contains(response.status) else { throw .http(host: host, status: response.status, url: request.url) }
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return replacingCharacters(in: range, with: replacement)
    }
}
