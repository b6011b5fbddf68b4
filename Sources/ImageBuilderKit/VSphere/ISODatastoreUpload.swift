public import ImageBuilderBasics
public import ImageBuilderPlanning
public import VSphereKit

/// Puts a vsphere-iso build's ISO on its datastore once: `[<datastore>] image-builder/iso/<key>.iso`
/// with a sidecar `<key>.iso.checksum` (`<algorithm>:<hex> <size>`). Under a lock (this host's
/// runs and their builds take turns), an entry whose sidecar and size agree is used as it is;
/// anything else is uploaded again to a temporary name, checked for size, moved into place, and
/// the sidecar written last. An ISO the user named (`iso_datastore_path`) must exist.
package struct ISODatastoreUpload: Sendable {
    let client: VSphereClient
    let datacenter: String
    let layout: RepoLayout
    let runID: String
    let note: @Sendable (String) -> Void

    /// Returns the bytes uploaded (0 when the datastore had it).
    package func ensure(_ iso: ISODatastore, workDirectory: String) async throws -> Int64 {
        guard let target = VSphereClient.DatastorePath(iso.path) else { throw ISODatastoreError.badPath(iso.path) }
        guard iso.source == .cache, let local = iso.localFile, let checksum = iso.checksum else {
            guard try await client.datastoreFileSize(target, datacenter: datacenter) != nil else {
                throw ISODatastoreError.missing(path: iso.path, server: client.host)
            }
            note("ISO: \(iso.path) (iso_datastore_path), nothing downloaded or uploaded")
            return 0
        }
        guard let size = FileReader.size(local) else { throw ISODatastoreError.localMissing(path: local) }
        let expected = "\(checksum.description) \(size)"
        let host = client.host.map { $0.isLetter || $0.isNumber || $0 == "." ? $0 : "-" }
        let lockPath = layout.outputDirectory + "/.locks/iso-\(String(host))-\(iso.datastore)-\(Paths.basename(local)).lock"
        let note = self.note
        let lock = try await FileLock.acquire(lockPath, exclusive: true) {
            note("ISO: waiting for another build or run uploading \(iso.path)")
        }
        defer { withExtendedLifetime(lock) {} }
        guard let sidecar = VSphereClient.DatastorePath("[\(iso.datastore)] \(iso.sidecarRelativePath)") else {
            throw ISODatastoreError.badPath(iso.path)
        }
        let recorded = try? await client.readDatastoreFile(sidecar, datacenter: datacenter, limit: 4096)
        let present = try await client.datastoreFileSize(target, datacenter: datacenter)
        let recordedText = recorded.map { String(decoding: $0, as: UTF8.self).trimmingCharacters() }
        if recordedText == expected, present == size {
            note("ISO: \(iso.path) is on the datastore (checksum sidecar and size agree): nothing uploaded")
            return 0
        }
        let reason =
            present == nil
            ? "not on the datastore" : recordedText != expected ? "its checksum sidecar does not match" : "its size is \(present ?? 0), not \(size)"
        note("ISO: \(iso.path) \(reason): uploading \(size) bytes from \(layout.display(local))")
        let dc = try await client.datacenter(named: datacenter)
        try await client.makeDatastoreFolder(ISODatastore.folder, datastore: iso.datastore, datacenter: dc)
        try await client.deleteDatastoreFile(sidecar, datacenter: dc)
        guard let partial = VSphereClient.DatastorePath("[\(iso.datastore)] \(ISODatastore.folder)/.\(target.fileName).\(runID).part") else {
            throw ISODatastoreError.badPath(iso.path)
        }
        try await client.uploadToDatastore(local, size: size, as: partial, datacenter: datacenter)
        let uploaded = try await client.datastoreFileSize(partial, datacenter: datacenter)
        guard uploaded == size else {
            try? await client.deleteDatastoreFile(partial, datacenter: dc)
            throw ISODatastoreError.sizeMismatch(path: partial.text, expected: size, found: uploaded ?? 0)
        }
        try await client.moveDatastoreFile(partial, to: target, datacenter: dc)
        let sidecarFile = workDirectory + "/iso.checksum"
        try FileWriter.write(expected + "\n", to: sidecarFile, mode: 0o644)
        try await client.uploadToDatastore(sidecarFile, size: Int64(expected.utf8.count + 1), as: sidecar, datacenter: datacenter)
        note("ISO: uploaded \(iso.path) (\(size) bytes) and its checksum sidecar")
        return size
    }
}

/// Why the datastore ISO could not be made ready.
package enum ISODatastoreError: Error, Sendable, CustomStringConvertible, UserFacingError {
    case badPath(String)
    case missing(path: String, server: String)
    case localMissing(path: String)
    case sizeMismatch(path: String, expected: Int64, found: Int64)

    package var description: String {
        switch self {
        case .badPath(let path): "not a datastore path: \(path)"
        case .missing(let path, let server): "iso_datastore_path \(path) does not exist on vCenter \(server)"
        case .localMissing(let path): "the cached ISO \(path) is missing"
        case .sizeMismatch(let path, let expected, let found): "the upload of \(path) has \(found) bytes, not \(expected)"
        }
    }

    package var exitStatus: ExitStatus { .failed }
}
