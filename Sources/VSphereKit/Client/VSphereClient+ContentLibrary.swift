import Foundation

/// The content library over the `/rest` API (vSphere 6.5+; the simulator has no `/api`): a
/// REST session of its own, libraries, OVF items uploaded by PUSH through an update session,
/// and deployment from an item.
extension VSphereClient {
    /// A library item deployed or published, by id.
    public struct LibraryItem: Sendable, Equatable {
        public let library: String
        public let item: String
    }

    /// Uploads `files` (the OVF descriptor and its disks) as OVF item `name` of library
    /// `libraryName` (created on `datastore` when missing). An item of that name is replaced.
    public func publish(
        files: [(String, FileSlice)], as name: String, library libraryName: String,
        datastore: ManagedObjectReference
    ) async throws(VSphereError) -> LibraryItem {
        var found = try await libraryID(named: libraryName)
        if found == nil { found = try await createLibrary(libraryName, datastore: datastore) }
        guard let library = found else { throw .notFound(host: host, what: "library \(libraryName)") }
        if let existing = try await itemID(named: name, in: library) {
            _ = try await rest("DELETE", "/com/vmware/content/library/item/id:\(existing)")
        }
        let item =
            try await rest(
                "POST", "/com/vmware/content/library/item",
                [
                    "create_spec": ["library_id": library, "name": name, "type": "ovf"]
                ])["value"] as? String
        guard let item else { throw .invalidResponse(host: host, reason: "library item without an id") }
        let session =
            try await rest(
                "POST", "/com/vmware/content/library/item/update-session",
                [
                    "create_spec": ["library_item_id": item]
                ])["value"] as? String
        guard let session else { throw .invalidResponse(host: host, reason: "update session without an id") }
        do {
            for (fileName, slice) in files {
                let added = try await rest(
                    "POST", "/com/vmware/content/library/item/updatesession/file/id:\(session)?~action=add",
                    [
                        "file_spec": ["name": fileName, "source_type": "PUSH", "size": slice.size]
                    ])
                guard let endpoint = (added["value"] as? [String: Any])?["upload_endpoint"] as? [String: Any],
                    let uri = endpoint["uri"] as? String
                else { throw VSphereError.invalidResponse(host: host, reason: "no upload endpoint for \(fileName)") }
                try await transfer(
                    HTTPRequest(
                        method: "PUT", url: uri.hasPrefix("http") ? uri : baseURL + uri,
                        headers: [
                            ("Content-Type", "application/octet-stream"), ("Content-Length", String(slice.size)),
                            ("vmware-api-session-id", try await restSession()),
                        ], body: .file(path: slice.path, offset: slice.offset, size: slice.size)))
            }
            _ = try await rest("POST", "/com/vmware/content/library/item/update-session/id:\(session)?~action=complete")
        } catch {
            _ = try? await rest(
                "POST", "/com/vmware/content/library/item/update-session/id:\(session)?~action=fail",
                ["client_error_message": "image-builder: upload failed"])
            throw (error as? VSphereError) ?? .invalidResponse(host: host, reason: "\(error)")
        }
        return LibraryItem(library: library, item: item)
    }

    /// Deploys an OVF library item as VM `name` into `pool`; returns the VM.
    public func deploy(
        item: String, as name: String, pool: ManagedObjectReference,
        folder: ManagedObjectReference? = nil
    ) async throws(VSphereError) -> ManagedObjectReference {
        var target: [String: Any] = ["resource_pool_id": pool.value]
        if let folder { target["folder_id"] = folder.value }
        let reply = try await rest(
            "POST", "/com/vmware/vcenter/ovf/library-item/id:\(item)?~action=deploy",
            [
                "target": target, "deployment_spec": ["name": name, "accept_all_EULA": true],
            ])
        let value = reply["value"] as? [String: Any]
        guard value?["succeeded"] as? Bool == true, let resource = value?["resource_id"] as? [String: Any],
            let id = resource["id"] as? String
        else { throw .invalidResponse(host: host, reason: "deploying library item \(item) failed: \(value ?? [:])") }
        return ManagedObjectReference(type: resource["type"] as? String ?? "VirtualMachine", value: id)
    }

    /// The id of the library named `name`, if there is one.
    public func libraryID(named name: String) async throws(VSphereError) -> String? {
        for id in try await rest("GET", "/com/vmware/content/library")["value"] as? [String] ?? [] {
            let library = try await rest("GET", "/com/vmware/content/library/id:\(id)")["value"] as? [String: Any]
            if library?["name"] as? String == name { return id }
        }
        return nil
    }

    /// The names of the items of library `library`, by id.
    public func items(in library: String) async throws(VSphereError) -> [String: String] {
        var result: [String: String] = [:]
        for id in try await rest("GET", "/com/vmware/content/library/item?library_id=\(library)")["value"] as? [String] ?? [] {
            let item = try await rest("GET", "/com/vmware/content/library/item/id:\(id)")["value"] as? [String: Any]
            result[id] = item?["name"] as? String ?? ""
        }
        return result
    }

    /// The files stored for an item, with their sizes.
    public func files(ofItem item: String) async throws(VSphereError) -> [String: Int64] {
        var result: [String: Int64] = [:]
        for file in try await rest("GET", "/com/vmware/content/library/item/file?library_item_id=\(item)")["value"] as? [[String: Any]] ?? [] {
            result[file["name"] as? String ?? ""] = (file["size"] as? NSNumber)?.int64Value ?? -1
        }
        return result
    }

    func itemID(named name: String, in library: String) async throws(VSphereError) -> String? {
        try await items(in: library).first { $0.value == name }?.key
    }

    func createLibrary(_ name: String, datastore: ManagedObjectReference) async throws(VSphereError) -> String {
        let reply = try await rest(
            "POST", "/com/vmware/content/local-library",
            [
                "create_spec": [
                    "name": name, "type": "LOCAL", "storage_backings": [["type": "DATASTORE", "datastore_id": datastore.value]],
                ]
            ])
        guard let id = reply["value"] as? String else { throw .invalidResponse(host: host, reason: "library without an id") }
        return id
    }

    /// One `/rest` call with the REST session (made on first use); the reply's JSON object.
    @discardableResult
    func rest(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws(VSphereError) -> [String: Any] {
        let token = try await restSession()
        var headers = [("vmware-api-session-id", token), ("User-Agent", userAgent), ("Accept", "application/json")]
        var payload = HTTPRequest.Body.none
        if let body, let data = try? JSONSerialization.data(withJSONObject: body) {
            headers.append(("Content-Type", "application/json"))
            payload = .bytes(Array(data))
        }
        let response = try await transport.send(HTTPRequest(method: method, url: baseURL + "/rest" + path, headers: headers, body: payload))
        guard (200..<300).contains(response.status) else {
            let message = String(decoding: response.body.prefix(300), as: UTF8.self)
            throw .fault(
                host: host, method: "\(method) /rest\(path)", SOAPFault(code: "HTTP \(response.status)", message: message, type: nil, object: nil))
        }
        if response.body.isEmpty { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw .invalidResponse(host: host, reason: "\(path): not a JSON object")
        }
        return object
    }

    private func restSession() async throws(VSphereError) -> String {
        if let cachedREST { return cachedREST }
        let basic = Data("\(username):\(password)".utf8).base64EncodedString()
        let response = try await transport.send(
            HTTPRequest(
                method: "POST", url: baseURL + "/rest/com/vmware/cis/session",
                headers: [("Authorization", "Basic " + basic), ("User-Agent", userAgent)]))
        guard response.status == 200,
            let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
            let token = object["value"] as? String
        else {
            throw .fault(
                host: host, method: "REST login",
                SOAPFault(
                    code: "HTTP \(response.status)", message: "REST session refused",
                    type: response.status == 401 ? "InvalidLogin" : nil, object: nil))
        }
        cachedREST = token
        return token
    }

    /// Ends the REST session, if one was made.
    func endRESTSession() async {
        guard let token = cachedREST, !unreachable else { return }
        _ = try? await transport.send(
            HTTPRequest(
                method: "DELETE", url: baseURL + "/rest/com/vmware/cis/session",
                headers: [("vmware-api-session-id", token)]))
        cachedREST = nil
    }
}
