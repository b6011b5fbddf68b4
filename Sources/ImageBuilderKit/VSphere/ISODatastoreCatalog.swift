public import ImageBuilderPlanning
public import VSphereKit

/// What is in the datastore ISO cache (`vsphere iso ls|prune`).
package struct ISODatastoreCatalog: Sendable {
    package struct Entry: Sendable, Equatable {
        package let path: String
        package let size: Int64
        /// `ok` (the sidecar names this size), `no sidecar`, `sidecar disagrees`, `unfinished upload`.
        package let state: String
    }

    let client: VSphereClient
    let datacenter: String

    package init(client: VSphereClient, datacenter: String) {
        self.client = client
        self.datacenter = datacenter
    }

    package func entries(datastore: String) async throws -> [Entry] {
        let files = try await client.listDatastoreFolder(ISODatastore.folder, datastore: datastore)
        var entries: [Entry] = []
        for file in files where !file.path.fileName.hasSuffix(".checksum") {
            let state: String
            if file.path.fileName.hasPrefix(".") && file.path.fileName.hasSuffix(".part") {
                state = "unfinished upload"
            } else if let sidecar = VSphereClient.DatastorePath(file.path.text + ".checksum"),
                let bytes = try? await client.readDatastoreFile(sidecar, datacenter: datacenter, limit: 4096)
            {
                let recorded = String(decoding: bytes, as: UTF8.self).split(separator: " ").last.map { $0.trimmingCharacters() }
                state = recorded == String(file.size) ? "ok" : "sidecar disagrees (size \(recorded ?? "?"))"
            } else {
                state = "no sidecar"
            }
            entries.append(Entry(path: file.path.text, size: file.size, state: state))
        }
        return entries
    }

    /// Deletes every cache file (ISOs, sidecars, unfinished uploads) except the ISOs in `keep`
    /// and their sidecars; returns what it removed.
    package func prune(datastore: String, keep: [String]) async throws -> [String] {
        let files = try await client.listDatastoreFolder(ISODatastore.folder, datastore: datastore)
        let dc = try await client.datacenter(named: datacenter)
        var removed: [String] = []
        for file in files {
            let name = file.path.fileName
            let iso = name.hasSuffix(".checksum") ? String(name.dropLast(".checksum".count)) : name
            if keep.contains(iso) { continue }
            try await client.deleteDatastoreFile(file.path, datacenter: dc)
            removed.append(file.path.text)
        }
        return removed
    }
}
