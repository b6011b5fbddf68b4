import Foundation

/// Exporting a VM's disks: `ExportVm` and a download through its HttpNfcLease; where a vCenter
/// lacks ExportVm (the simulator), the disk files named by the VM's device backings are read from
/// the datastore through `/folder`. Either way the bytes stream to the caller chunk by chunk.
extension VSphereClient {
    /// One exported disk: the file name it is handed over under and its length.
    public struct ExportedDisk: Sendable, Equatable {
        public let name: String
        public let bytes: Int64

        public init(name: String, bytes: Int64) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// A disk file of a VM, from its device backing: `[LocalDS_0] vm/vm.vmdk`.
    public struct DatastorePath: Sendable, Equatable {
        public let datastore: String
        public let path: String

        /// Parses `[datastore] folder/file.vmdk`.
        public init?(_ text: String) {
            guard text.hasPrefix("["), let close = text.firstIndex(of: "]") else { return nil }
            datastore = String(text[text.index(after: text.startIndex)..<close])
            path = String(text[text.index(after: close)...].drop { $0 == " " })
        }

        public var fileName: String { String(path.split(separator: "/").last ?? Substring(path)) }
    }

    /// The VM's disk files, in device order (never guessed from its name).
    public func diskFiles(_ vm: ManagedObjectReference) async throws(VSphereError) -> [DatastorePath] {
        let devices = try await properties(of: vm, ["config.hardware.device"])["config.hardware.device"]?.node?.children ?? []
        return devices.filter { $0.xsiType == "VirtualDisk" }.compactMap { $0[path: "backing", "fileName"]?.text }.compactMap(DatastorePath.init)
    }

    /// Streams every disk of `vm` to `sink(name, chunk)`, one disk after the other.
    public func exportDisks(
        _ vm: ManagedObjectReference, progress: @Sendable (Int) -> Void = { _ in },
        sink: @Sendable @escaping (String, [UInt8]) async throws -> Void
    ) async throws(VSphereError) -> [ExportedDisk] {
        if !(try await trustedPlatformModules(vm)).isEmpty {
            throw .refused(
                host: host, operation: "exporting \(vm.value)",
                reason: "the VM has a vTPM, which vCenter does not export (remove it first: its keys stay with vCenter)")
        }
        let reply: XMLNode
        do {
            reply = try await invoke("ExportVm", on: vm)
        } catch let error where error.faultType == "MethodNotFound" || error.faultType == "NotImplemented" {
            return try await downloadFromDatastore(vm, sink: sink)
        }
        guard let lease = reply.child("returnval").flatMap(ManagedObjectReference.init) else {
            throw .invalidResponse(host: host, reason: "ExportVm returned no lease")
        }
        var exported: [ExportedDisk] = []
        do {
            let info = try await readyLease(lease)
            let disks = info.children("deviceUrl").filter { $0.child("disk")?.text != "false" }
            for (number, device) in disks.enumerated() {
                guard let url = device.child("url")?.text else { continue }
                let name = device.child("targetId")?.text ?? "disk-\(number).vmdk"
                exported.append(ExportedDisk(name: name, bytes: try await download(url: nfcURL(url), as: name, sink: sink)))
                let percent = (number + 1) * 100 / max(1, disks.count)
                _ = try await invoke("HttpNfcLeaseProgress", on: lease, ["<percent>\(percent)</percent>"])
                progress(percent)
            }
            _ = try await invoke("HttpNfcLeaseComplete", on: lease)
        } catch {
            _ = try? await invoke("HttpNfcLeaseAbort", on: lease)
            throw error
        }
        return exported
    }

    private func downloadFromDatastore(
        _ vm: ManagedObjectReference,
        sink: @Sendable @escaping (String, [UInt8]) async throws -> Void
    ) async throws(VSphereError) -> [ExportedDisk] {
        let datacenter = try await datacenterName(of: vm)
        var exported: [ExportedDisk] = []
        for file in try await diskFiles(vm) {
            let url = folderURL(file, datacenter: datacenter)
            exported.append(ExportedDisk(name: file.fileName, bytes: try await download(url: url, as: file.fileName, sink: sink)))
        }
        return exported
    }

    /// `https://host/folder/<path>?dcPath=<datacenter>&dsName=<datastore>`.
    public nonisolated func folderURL(_ file: DatastorePath, datacenter: String) -> String {
        "\(baseURL)/folder/\(Self.percentEncoded(file.path, keepSlash: true))?dcPath=\(Self.percentEncoded(datacenter))"
            + "&dsName=\(Self.percentEncoded(file.datastore))"
    }

    /// Writes a local file over a datastore file (streamed).
    public func uploadToDatastore(_ local: String, size: Int64, as file: DatastorePath, datacenter: String) async throws(VSphereError) {
        try await transfer(
            HTTPRequest(
                method: "PUT", url: folderURL(file, datacenter: datacenter),
                headers: [
                    ("Content-Type", "application/octet-stream"), ("Content-Length", String(size)),
                ], body: .file(path: local, offset: 0, size: size)))
    }

    /// The name of the datacenter `object` is in.
    public func datacenterName(of object: ManagedObjectReference) async throws(VSphereError) -> String {
        var current = object
        for _ in 0..<32 {
            if current.type == "Datacenter" { return try await properties(of: current, ["name"])["name"]?.string ?? "" }
            guard let parent = try await properties(of: current, ["parent"])["parent"]?.reference else { break }
            current = parent
        }
        throw .notFound(host: host, what: "datacenter of \(object.value)")
    }

    private func download(url: String, as name: String, sink: @Sendable @escaping (String, [UInt8]) async throws -> Void) async throws(VSphereError)
        -> Int64
    {
        let headers = sessionHeaders()
        let counter = ByteCounter()
        // An empty first chunk announces the disk, so a consumer sees every disk, empty ones too.
        do { try await sink(name, []) } catch { throw .localFile(path: name, reason: "\(error)") }
        let status = try await transport.download(HTTPRequest(method: "GET", url: url, headers: headers)) { chunk in
            counter.add(chunk.count)
            try await sink(name, chunk)
        }
        guard (200..<300).contains(status) else { throw .http(host: host, status: status, url: url) }
        return counter.total
    }

    /// RFC 3986 unreserved characters kept (and `/` in paths); everything else escaped.
    static func percentEncoded(_ text: String, keepSlash: Bool = false) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        if keepSlash { allowed.insert("/") }
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
