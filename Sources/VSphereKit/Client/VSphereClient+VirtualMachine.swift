/// Virtual machine operations: clone, template, power, reconfigure, destroy.
extension VSphereClient {
    /// How a clone is placed and whether it shares the source's disks.
    public struct CloneOptions: Sendable {
        /// Folder for the clone; default: the source's folder.
        public var folder: ManagedObjectReference?
        /// Resource pool; default: the source's pool, else the first pool of the source's datacenter.
        public var pool: ManagedObjectReference?
        public var datastore: ManagedObjectReference?
        /// A linked clone (`createNewChildDiskBacking`): its disks are children of the snapshot's.
        public var linked = false
        /// The snapshot to clone from; for a linked clone the default is the source's current one.
        public var snapshot: ManagedObjectReference?
        public var powerOn = false
        public var template = false

        public init(
            folder: ManagedObjectReference? = nil, pool: ManagedObjectReference? = nil,
            datastore: ManagedObjectReference? = nil, linked: Bool = false, snapshot: ManagedObjectReference? = nil,
            powerOn: Bool = false, template: Bool = false
        ) {
            self.folder = folder
            self.pool = pool
            self.datastore = datastore
            self.linked = linked
            self.snapshot = snapshot
            self.powerOn = powerOn
            self.template = template
        }
    }

    /// Clones `vm` as `name`; returns the new VM.
    public func clone(
        _ vm: ManagedObjectReference, as name: String, _ options: CloneOptions = .init(),
        progress: @Sendable (Int) -> Void = { _ in }
    ) async throws(VSphereError) -> ManagedObjectReference {
        let source = try await properties(of: vm, ["parent", "resourcePool", "snapshot.currentSnapshot"])
        guard let folder = options.folder ?? source["parent"]?.reference else {
            throw .invalidResponse(host: host, reason: "virtual machine \(vm.value) has no folder")
        }
        var pool = options.pool ?? source["resourcePool"]?.reference
        if pool == nil { pool = try await defaultPool() }
        // VirtualMachineRelocateSpec and VirtualMachineCloneSpec fields in schema order.
        var location = options.datastore?.xml("datastore") ?? ""
        if options.linked { location += "<diskMoveType>createNewChildDiskBacking</diskMoveType>" }
        // Without a snapshot a linked clone is refused by vCenter (InvalidArgument), which says it best.
        let snapshot = options.snapshot ?? (options.linked ? source["snapshot.currentSnapshot"]?.reference : nil)
        location += pool?.xml("pool") ?? ""
        let spec =
            "<spec><location>\(location)</location><template>\(options.template)</template>"
            + "<powerOn>false</powerOn>" + (snapshot?.xml("snapshot") ?? "") + "</spec>"
        let result = try await runTask(
            "CloneVM_Task", on: vm, [folder.xml("folder"), "<name>\(XMLText.escape(name))</name>", spec], progress: progress)
        guard let clone = result.flatMap(ManagedObjectReference.init) else {
            throw .invalidResponse(host: host, reason: "CloneVM_Task returned no virtual machine")
        }
        // Powered on as a step of its own: the same on vCenter, and the simulator ignores the spec's powerOn.
        if options.powerOn { try await powerOn(clone) }
        return clone
    }

    /// The first resource pool in the inventory (the root pool of the first cluster or host).
    func defaultPool() async throws(VSphereError) -> ManagedObjectReference? {
        let pools = try await objects(ofType: "ResourcePool", ["parent"])
        return pools.keys.filter { pools[$0]?["parent"]?.reference?.type != "ResourcePool" }.sorted { $0.value < $1.value }.first
            ?? pools.keys.sorted { $0.value < $1.value }.first
    }

    public func markAsTemplate(_ vm: ManagedObjectReference) async throws(VSphereError) {
        _ = try await invoke("MarkAsTemplate", on: vm)
    }

    /// Turns a template back into a VM in `pool` (default: the first pool).
    public func markAsVirtualMachine(_ vm: ManagedObjectReference, pool: ManagedObjectReference? = nil) async throws(VSphereError) {
        var chosen = pool
        if chosen == nil { chosen = try await defaultPool() }
        guard let chosen else { throw .notFound(host: host, what: "resource pool") }
        _ = try await invoke("MarkAsVirtualMachine", on: vm, [chosen.xml("pool")])
    }

    public func powerOn(_ vm: ManagedObjectReference) async throws(VSphereError) {
        try await runTask("PowerOnVM_Task", on: vm)
    }

    public func powerOff(_ vm: ManagedObjectReference) async throws(VSphereError) {
        try await runTask("PowerOffVM_Task", on: vm)
    }

    /// `runtime.powerState`: poweredOn, poweredOff or suspended.
    public func powerState(_ vm: ManagedObjectReference) async throws(VSphereError) -> String {
        try await properties(of: vm, ["runtime.powerState"])["runtime.powerState"]?.string ?? ""
    }

    /// Destroys `vm` and its files.
    public func destroy(_ vm: ManagedObjectReference) async throws(VSphereError) {
        try await runTask("Destroy_Task", on: vm)
    }

    /// Sets `extraConfig` keys (such as `guestinfo.userdata`); values are sent as strings.
    public func setExtraConfig(_ vm: ManagedObjectReference, _ values: [(String, String)]) async throws(VSphereError) {
        let options = values.map { key, value in
            "<extraConfig><key>\(XMLText.escape(key))</key><value xsi:type=\"xsd:string\">\(XMLText.escape(value))</value></extraConfig>"
        }
        try await runTask("ReconfigVM_Task", on: vm, ["<spec>" + options.joined() + "</spec>"])
    }

    /// `config.extraConfig` as key → value.
    public func extraConfig(_ vm: ManagedObjectReference) async throws(VSphereError) -> [String: String] {
        let node = try await properties(of: vm, ["config.extraConfig"])["config.extraConfig"]?.node
        var result: [String: String] = [:]
        for option in node?.children ?? [] {
            if let key = option.child("key")?.text { result[key] = option.child("value")?.text ?? "" }
        }
        return result
    }
}
