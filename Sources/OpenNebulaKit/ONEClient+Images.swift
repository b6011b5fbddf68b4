/// Images, datastores and VM templates.
extension ONEClient {
    /// `-2, -1, -1`: every object the user may see, all of them (OpenNebula's pool filter).
    static let everything: [XMLRPCValue] = [.int(-2), .int(-1), .int(-1)]

    public func datastores() async throws(ONEError) -> [(id: Int, name: String, type: Int)] {
        let pool = try await document("one.datastorepool.info", [])
        return pool.all("DATASTORE").compactMap { node in
            guard let id = node.value("ID").flatMap({ Int($0) }), let name = node.value("NAME") else { return nil }
            return (id, name, node.value("TYPE").flatMap { Int($0) } ?? 0)
        }
    }

    public func images() async throws(ONEError) -> [ONEImage] {
        try await document("one.imagepool.info", Self.everything).all("IMAGE").compactMap(ONEImage.init)
    }

    public func image(_ id: Int) async throws(ONEError) -> ONEImage {
        let node = try await document("one.image.info", [.int(id)])
        guard let image = ONEImage(node) else { throw .malformed(method: "one.image.info", reason: "no IMAGE with an ID and a STATE") }
        return image
    }

    /// `one.image.allocate`: the new image's id.
    public func allocateImage(_ template: String, datastore: Int) async throws(ONEError) -> Int {
        let value = try await call("one.image.allocate", [.string(template), .int(datastore)])
        guard let id = value.int else { throw .malformed(method: "one.image.allocate", reason: "no id") }
        return id
    }

    public func deleteImage(_ id: Int) async throws(ONEError) {
        _ = try await call("one.image.delete", [.int(id)])
    }

    public func templates() async throws(ONEError) -> [(id: Int, name: String)] {
        try await document("one.templatepool.info", Self.everything).all("VMTEMPLATE").compactMap { node in
            guard let id = node.value("ID").flatMap({ Int($0) }), let name = node.value("NAME") else { return nil }
            return (id, name)
        }
    }

    /// `one.template.allocate`: the new VM template's id.
    public func allocateTemplate(_ template: String) async throws(ONEError) -> Int {
        let value = try await call("one.template.allocate", [.string(template)])
        guard let id = value.int else { throw .malformed(method: "one.template.allocate", reason: "no id") }
        return id
    }

    public func deleteTemplate(_ id: Int) async throws(ONEError) {
        _ = try await call("one.template.delete", [.int(id)])
    }
}

/// An image as `one.image.info` describes it.
public struct ONEImage: Sendable, Equatable {
    public let id: Int
    public let name: String
    /// OpenNebula's image state: 0 INIT, 1 READY, 2 USED, 3 DISABLED, 4 LOCKED, 5 ERROR, …
    public let state: Int
    /// `TEMPLATE/ERROR`: why an image is in ERROR.
    public let error: String?

    public static let ready = 1
    public static let errorState = 5
    static let names = ["INIT", "READY", "USED", "DISABLED", "LOCKED", "ERROR", "CLONE", "DELETE", "USED_PERS", "LOCKED_USED", "LOCKED_USED_PERS"]

    public var stateName: String { state >= 0 && state < Self.names.count ? Self.names[state] : "STATE \(state)" }

    init?(_ node: XMLTreeNode) {
        guard let id = node.value("ID").flatMap({ Int($0) }), let state = node.value("STATE").flatMap({ Int($0) }) else { return nil }
        self.id = id
        self.name = node.value("NAME") ?? ""
        self.state = state
        self.error = node.value("TEMPLATE", "ERROR")
    }
}

/// Renames (`--replace` publishes under a temporary name, then takes the name over).
extension ONEClient {
    public func renameImage(_ id: Int, to name: String) async throws(ONEError) {
        _ = try await call("one.image.rename", [.int(id), .string(name)])
    }

    public func renameTemplate(_ id: Int, to name: String) async throws(ONEError) {
        _ = try await call("one.template.rename", [.int(id), .string(name)])
    }
}
