/// Files on a datastore managed by name: size, folders, moves, deletes and listings
/// (FileManager, HostDatastoreBrowser and `/folder`). Paths are `[datastore] folder/file`.
extension VSphereClient {
    /// A file found by a listing.
    public struct DatastoreFile: Sendable, Equatable {
        public let path: DatastorePath
        public let size: Int64
    }

    /// The datacenter named `name`.
    public func datacenter(named name: String) async throws(VSphereError) -> ManagedObjectReference {
        let found = try await objects(ofType: "Datacenter", ["name"])
        guard let datacenter = found.first(where: { $0.value["name"]?.string == name })?.key else {
            throw .notFound(host: host, what: "datacenter \(name)")
        }
        return datacenter
    }

    /// A datastore file's size (HTTP HEAD on `/folder`); nil when it does not exist.
    public func datastoreFileSize(_ file: DatastorePath, datacenter: String) async throws(VSphereError) -> Int64? {
        let url = folderURL(file, datacenter: datacenter)
        let response = try await transport.send(HTTPRequest(method: "HEAD", url: url, headers: sessionHeaders()))
        if response.status == 404 { return nil }
        guard (200..<300).contains(response.status) else { throw .http(host: host, status: response.status, url: url) }
        return response.header("Content-Length").flatMap { Int64($0) }
    }

    /// Makes a folder and its parents (FileManager.MakeDirectory); one that exists is fine.
    public func makeDatastoreFolder(_ folder: String, datastore: String, datacenter: ManagedObjectReference) async throws(VSphereError) {
        guard let manager = try await content().fileManager else { throw .notFound(host: host, what: "the file manager") }
        do {
            _ = try await invoke(
                "MakeDirectory", on: manager,
                [
                    "<name>[\(XMLText.escape(datastore))] \(XMLText.escape(folder))</name>", datacenter.xml("datacenter"),
                    "<createParentDirectories>true</createParentDirectories>",
                ])
        } catch  where error.faultType == "FileAlreadyExists" {
            return
        }
    }

    /// Moves a file within the datacenter, replacing the destination (MoveDatastoreFile_Task).
    public func moveDatastoreFile(_ source: DatastorePath, to destination: DatastorePath, datacenter: ManagedObjectReference)
        async throws(VSphereError)
    {
        guard let manager = try await content().fileManager else { throw .notFound(host: host, what: "the file manager") }
        try await runTask(
            "MoveDatastoreFile_Task", on: manager,
            [
                "<sourceName>\(XMLText.escape(source.text))</sourceName>", datacenter.xml("sourceDatacenter"),
                "<destinationName>\(XMLText.escape(destination.text))</destinationName>", datacenter.xml("destinationDatacenter"),
                "<force>true</force>",
            ])
    }

    /// Deletes a file (DeleteDatastoreFile_Task); one that is already gone is fine.
    public func deleteDatastoreFile(_ file: DatastorePath, datacenter: ManagedObjectReference) async throws(VSphereError) {
        guard let manager = try await content().fileManager else { throw .notFound(host: host, what: "the file manager") }
        do {
            try await runTask("DeleteDatastoreFile_Task", on: manager, ["<name>\(XMLText.escape(file.text))</name>", datacenter.xml("datacenter")])
        } catch  where error.faultType == "FileNotFound" {
            return
        }
    }

    /// The files of one folder of a datastore (SearchDatastore_Task, with sizes); none when the
    /// folder does not exist.
    public func listDatastoreFolder(_ folder: String, datastore: String) async throws(VSphereError) -> [DatastoreFile] {
        let stores = try await objects(ofType: "Datastore", ["name", "browser"])
        guard let browser = stores.first(where: { $0.value["name"]?.string == datastore })?.value["browser"]?.reference else {
            throw .notFound(host: host, what: "datastore \(datastore)")
        }
        let result: XMLNode?
        do {
            result = try await runTask(
                "SearchDatastore_Task", on: browser,
                [
                    "<datastorePath>[\(XMLText.escape(datastore))] \(XMLText.escape(folder))</datastorePath>",
                    "<searchSpec><details><fileType>true</fileType><fileSize>true</fileSize><modification>false</modification>"
                        + "<fileOwner>false</fileOwner></details><matchPattern>*</matchPattern></searchSpec>",
                ])
        } catch  where error.faultType == "FileNotFound" {
            return []
        }
        return (result?.children("file") ?? []).compactMap { file in
            guard let name = file.child("path")?.text, let path = DatastorePath("[\(datastore)] \(folder)/\(name)") else { return nil }
            return DatastoreFile(path: path, size: Int64(file.child("fileSize")?.text ?? "") ?? 0)
        }.sorted { $0.path.path < $1.path.path }
    }
}

extension VSphereClient.DatastorePath {
    /// `[datastore] path`.
    public var text: String { "[\(datastore)] \(path)" }
}
