import Foundation

/// A boot resource as MAAS's API shows it, with the file of its newest set (an uploaded resource
/// has one file per set).
public struct BootResource: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        public let filename: String
        public let filetype: String
        public let sha256: String
        public let size: Int64
        public let complete: Bool
        /// Percent stored (0–100), for an incomplete file.
        public let progress: Double
        /// The path to PUT chunks to, for an incomplete uploaded file.
        public let uploadURI: String?

        /// The bytes MAAS holds: its percentage snapped to the nearest whole chunk (MAAS stores
        /// whole chunks).
        public func heldBytes(chunkSize: Int64) -> Int64 {
            if complete { return size }
            let chunks = (progress / 100 * Double(size) / Double(chunkSize)).rounded()
            return Swift.min(size, Swift.max(0, Int64(chunks) * chunkSize))
        }
    }

    public let id: Int
    public let name: String
    public let architecture: String
    public let type: String
    public let file: File?

    init?(json: Any) {
        guard let fields = json as? [String: Any], let id = fields["id"] as? Int else { return nil }
        self.id = id
        name = fields["name"] as? String ?? ""
        architecture = fields["architecture"] as? String ?? ""
        type = fields["type"] as? String ?? ""
        // The newest set: set names are versions (dates), ordered as text.
        let sets = fields["sets"] as? [String: Any] ?? [:]
        let newest = sets.keys.max().flatMap { sets[$0] as? [String: Any] }
        let files = newest?["files"] as? [String: Any] ?? [:]
        if let (_, value) = files.first, let entry = value as? [String: Any] {
            file = File(
                filename: entry["filename"] as? String ?? "", filetype: entry["filetype"] as? String ?? "",
                sha256: entry["sha256"] as? String ?? "", size: (entry["size"] as? NSNumber)?.int64Value ?? 0,
                complete: entry["complete"] as? Bool ?? false, progress: (entry["progress"] as? NSNumber)?.doubleValue ?? 0,
                uploadURI: entry["upload_uri"] as? String)
        } else {
            file = nil
        }
    }

    static func parse(_ body: [UInt8], url: String) throws(MAASError) -> BootResource {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body)), let resource = BootResource(json: json) else {
            throw .malformed(url: url, reason: "not a boot resource")
        }
        return resource
    }
}
