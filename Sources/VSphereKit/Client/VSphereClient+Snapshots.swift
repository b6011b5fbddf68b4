/// Snapshots: create, list, revert, remove.
extension VSphereClient {
    /// One snapshot of a VM's tree.
    public struct Snapshot: Sendable, Equatable {
        public let name: String
        public let reference: ManagedObjectReference
        /// Names from the root down to this snapshot.
        public let path: [String]
    }

    /// Takes a snapshot (without memory, not quiesced); returns it.
    @discardableResult
    public func createSnapshot(_ vm: ManagedObjectReference, name: String, description: String = "") async throws(VSphereError)
        -> ManagedObjectReference
    {
        let result = try await runTask(
            "CreateSnapshot_Task", on: vm,
            [
                "<name>\(XMLText.escape(name))</name>", "<description>\(XMLText.escape(description))</description>",
                "<memory>false</memory>", "<quiesce>false</quiesce>",
            ])
        guard let snapshot = result.flatMap(ManagedObjectReference.init) else {
            throw .invalidResponse(host: host, reason: "CreateSnapshot_Task returned no snapshot")
        }
        return snapshot
    }

    /// Every snapshot of `vm`, depth first, and the current one.
    public func snapshots(_ vm: ManagedObjectReference) async throws(VSphereError) -> (all: [Snapshot], current: ManagedObjectReference?) {
        guard let info = try await properties(of: vm, ["snapshot"])["snapshot"]?.node else { return ([], nil) }
        var all: [Snapshot] = []
        func walk(_ nodes: [XMLNode], _ parents: [String]) {
            for node in nodes {
                guard let name = node.child("name")?.text, let reference = node.child("snapshot").flatMap(ManagedObjectReference.init) else {
                    continue
                }
                all.append(Snapshot(name: name, reference: reference, path: parents + [name]))
                walk(node.children("childSnapshotList"), parents + [name])
            }
        }
        walk(info.children("rootSnapshotList"), [])
        return (all, info.child("currentSnapshot").flatMap(ManagedObjectReference.init))
    }

    /// The last snapshot named `name` in the tree, if any.
    public func snapshot(_ vm: ManagedObjectReference, named name: String) async throws(VSphereError) -> ManagedObjectReference? {
        try await snapshots(vm).all.last { $0.name == name }?.reference
    }

    public func revert(to snapshot: ManagedObjectReference) async throws(VSphereError) {
        try await runTask("RevertToSnapshot_Task", on: snapshot)
    }

    public func revertToCurrentSnapshot(_ vm: ManagedObjectReference) async throws(VSphereError) {
        try await runTask("RevertToCurrentSnapshot_Task", on: vm)
    }

    public func removeSnapshot(_ snapshot: ManagedObjectReference, children: Bool = false) async throws(VSphereError) {
        try await runTask("RemoveSnapshot_Task", on: snapshot, ["<removeChildren>\(children)</removeChildren>", "<consolidate>true</consolidate>"])
    }
}
