/// The managers named by `RetrieveServiceContent`.
public struct ServiceContent: Sendable {
    public let rootFolder: ManagedObjectReference
    public let propertyCollector: ManagedObjectReference
    public let sessionManager: ManagedObjectReference
    public let searchIndex: ManagedObjectReference
    public let viewManager: ManagedObjectReference
    public let ovfManager: ManagedObjectReference?
    public let eventManager: ManagedObjectReference?
    public let fileManager: ManagedObjectReference?
    /// `about.apiVersion`, such as 6.5 or 8.0.2.0.
    public let apiVersion: String

    static let instance = ManagedObjectReference(type: "ServiceInstance", value: "ServiceInstance")

    init?(_ returnval: XMLNode) {
        func reference(_ name: String) -> ManagedObjectReference? {
            returnval.child(name).flatMap(ManagedObjectReference.init)
        }
        guard let root = reference("rootFolder"), let collector = reference("propertyCollector"),
            let sessions = reference("sessionManager"), let search = reference("searchIndex"),
            let views = reference("viewManager")
        else { return nil }
        rootFolder = root
        propertyCollector = collector
        sessionManager = sessions
        searchIndex = search
        viewManager = views
        ovfManager = reference("ovfManager")
        eventManager = reference("eventManager")
        fileManager = reference("fileManager")
        apiVersion = returnval[path: "about", "apiVersion"]?.text ?? ""
    }
}
