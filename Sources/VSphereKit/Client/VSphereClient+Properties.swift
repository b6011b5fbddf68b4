/// Property reads: batched RetrievePropertiesEx (with continuation), container views, and
/// finding objects by inventory path or name.
extension VSphereClient {
    public typealias Properties = [String: SOAPResponse.PropertyValue]

    /// Reads `paths` of every object in one round trip (plus continuation pages).
    public func properties(of objects: [ManagedObjectReference], _ paths: [String]) async throws(VSphereError) -> [ManagedObjectReference: Properties]
    {
        guard !objects.isEmpty else { return [:] }
        let types = Set(objects.map(\.type)).sorted()
        let propSets = types.map { type in
            "<propSet><type>\(XMLText.escape(type))</type>" + paths.map { "<pathSet>\(XMLText.escape($0))</pathSet>" }.joined() + "</propSet>"
        }
        let objectSets = objects.map { "<objectSet>\($0.xml("obj"))<skip>false</skip></objectSet>" }
        return try await retrieve("<specSet>" + propSets.joined() + objectSets.joined() + "</specSet>")
    }

    /// The properties of one object.
    public func properties(of object: ManagedObjectReference, _ paths: [String]) async throws(VSphereError) -> Properties {
        try await properties(of: [object], paths)[object] ?? [:]
    }

    /// Every object of `type` below `container` (recursive), with `paths` read, through a
    /// container view that is destroyed afterwards.
    public func objects(ofType type: String, in container: ManagedObjectReference? = nil, _ paths: [String]) async throws(VSphereError)
        -> [ManagedObjectReference: Properties]
    {
        let content = try await content()
        let created = try await invoke(
            "CreateContainerView", on: content.viewManager,
            [
                (container ?? content.rootFolder).xml("container"), "<type>\(XMLText.escape(type))</type>", "<recursive>true</recursive>",
            ])
        guard let view = created.child("returnval").flatMap(ManagedObjectReference.init) else {
            throw .invalidResponse(host: host, reason: "CreateContainerView without a view")
        }
        let spec =
            "<specSet><propSet><type>\(XMLText.escape(type))</type>" + paths.map { "<pathSet>\(XMLText.escape($0))</pathSet>" }.joined()
            + "</propSet><objectSet>\(view.xml("obj"))<skip>true</skip><selectSet xsi:type=\"TraversalSpec\"><name>view</name>"
            + "<type>ContainerView</type><path>view</path><skip>false</skip></selectSet></objectSet></specSet>"
        let result: Result<[ManagedObjectReference: Properties], VSphereError>
        do { result = .success(try await retrieve(spec)) } catch { result = .failure(error) }
        _ = try? await invoke("DestroyView", on: view)
        return try result.get()
    }

    private func retrieve(_ specSet: String) async throws(VSphereError) -> [ManagedObjectReference: Properties] {
        let collector = try await content().propertyCollector
        var result: [ManagedObjectReference: Properties] = [:]
        var response = try await invoke("RetrievePropertiesEx", on: collector, [specSet, "<options/>"])
        while true {
            for (object, values) in SOAPResponse.objects(response) { result[object] = values }
            guard let token = response[path: "returnval", "token"]?.text, !token.isEmpty else { return result }
            response = try await invoke("ContinueRetrievePropertiesEx", on: collector, ["<token>\(XMLText.escape(token))</token>"])
        }
    }

    /// `SearchIndex.FindByInventoryPath` (`DC0/vm/base-ubuntu-2404`); nil when nothing is there.
    public func find(inventoryPath: String) async throws(VSphereError) -> ManagedObjectReference? {
        let index = try await content().searchIndex
        let body = try await invoke("FindByInventoryPath", on: index, ["<inventoryPath>\(XMLText.escape(inventoryPath))</inventoryPath>"])
        return body.child("returnval").flatMap(ManagedObjectReference.init)
    }

    /// The virtual machine (or template) named `name`, anywhere; nil when there is none.
    /// An inventory path (with `/`) is looked up as such.
    public func findVM(_ name: String) async throws(VSphereError) -> ManagedObjectReference? {
        if name.contains("/") { return try await find(inventoryPath: name) }
        let machines = try await objects(ofType: "VirtualMachine", ["name"])
        let matches = machines.filter { $0.value["name"] == .string(name) }.keys.sorted { $0.value < $1.value }
        return matches.first
    }

    /// Like `findVM`, but a missing VM is an error naming it.
    public func requireVM(_ name: String) async throws(VSphereError) -> ManagedObjectReference {
        guard let vm = try await findVM(name) else { throw .notFound(host: host, what: "virtual machine \(name)") }
        return vm
    }
}

extension SOAPResponse.PropertyValue {
    /// The value as text, when it is a simple value.
    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var reference: ManagedObjectReference? {
        if case .reference(let reference) = self { return reference }
        return nil
    }

    public var node: XMLNode? {
        if case .other(let node) = self { return node }
        return nil
    }
}
