public import ImageBuilderBasics
public import ImageBuilderConfig

/// Where a vsphere-iso build's ISO is on the datastore, so packer gets `iso_paths` and uploads
/// nothing: the orchestrator's cache (`[<datastore>] image-builder/iso/<key>.iso`, uploaded
/// from the local ISO cache once, under a lock, with a checksum sidecar), or an ISO the user
/// already has there (`iso_datastore_path`: no download, no upload; air-gapped sites).
package struct ISODatastore: Sendable, Codable, Equatable {
    package enum Source: String, Sendable, Codable { case cache, given }

    package let source: Source
    /// `[datastore] folder/name.iso`.
    package let path: String
    package let datastore: String
    /// The verified local copy uploaded when the datastore lacks it (cache only).
    package let localFile: String?
    package let checksum: ISOChecksum?

    /// The cache's folder on every datastore.
    package static let folder = "image-builder/iso"

    /// The cache entry for a downloaded ISO: named by its checksum, as the local cache is.
    package static func cached(_ download: ISODownload, datastore: String) -> ISODatastore {
        ISODatastore(
            source: .cache, path: "[\(datastore)] \(folder)/\(Paths.basename(download.path))", datastore: datastore,
            localFile: download.path, checksum: download.checksum)
    }

    /// A datastore path the user gave (`[datastore] path/x.iso`); nil when malformed.
    package static func given(_ text: String) -> ISODatastore? {
        guard text.hasPrefix("["), let close = text.firstIndex(of: "]") else { return nil }
        let datastore = String(text[text.index(after: text.startIndex)..<close])
        let path = text[text.index(after: close)...].drop { $0 == " " }
        guard !datastore.isEmpty, !path.isEmpty, !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else { return nil }
        return ISODatastore(source: .given, path: text, datastore: datastore, localFile: nil, checksum: nil)
    }

    /// The path within the datastore (`image-builder/iso/<key>.iso`).
    package var relativePath: String { String(path[path.index(after: path.firstIndex(of: "]")!)...].drop { $0 == " " }) }

    /// The checksum sidecar next to a cached ISO: `<algorithm>:<hex> <size>`.
    package var sidecarRelativePath: String { relativePath + ".checksum" }

    /// For `plan`.
    package var summary: String {
        switch source {
        case .cache: "\(path) (uploaded once from the local cache if missing; packer gets iso_paths and uploads no ISO)"
        case .given: "\(path) (iso_datastore_path: no download, no upload; packer gets iso_paths)"
        }
    }
}
