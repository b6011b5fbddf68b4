/// A Glance v2 image as the API shows it: the fields a publisher checks, and every property as
/// text (custom properties included).
public struct GlanceImage: Sendable, Equatable {
    public let id: String
    public let name: String
    /// `queued`, `saving`, `active`, `killed`, `deleted`, `pending_delete`, `deactivated`, `uploading`, `importing`.
    public let status: String
    public let diskFormat: String?
    public let containerFormat: String?
    public let visibility: String?
    public let size: Int64?
    public let virtualSize: Int64?
    /// md5 of the data.
    public let checksum: String?
    public let hashAlgorithm: String?
    public let hashValue: String?
    public let createdAt: String?
    /// Every scalar field, by name (custom properties and the ones above).
    public let properties: [String: String]

    init?(_ json: JSONValue) {
        guard let fields = json.object, let id = fields["id"]?.string else { return nil }
        self.id = id
        name = fields["name"]?.string ?? ""
        status = fields["status"]?.string ?? ""
        diskFormat = fields["disk_format"]?.string
        containerFormat = fields["container_format"]?.string
        visibility = fields["visibility"]?.string
        size = fields["size"]?.int64
        virtualSize = fields["virtual_size"]?.int64
        checksum = fields["checksum"]?.string
        hashAlgorithm = fields["os_hash_algo"]?.string
        hashValue = fields["os_hash_value"]?.string
        createdAt = fields["created_at"]?.string
        properties = fields.compactMapValues(\.text)
    }
}
