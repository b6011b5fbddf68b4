/// The service catalog of a Keystone v3 token: services by type, each with endpoints by
/// interface and region.
public struct ServiceCatalog: Sendable, Equatable {
    public struct Endpoint: Sendable, Equatable {
        public let type: String
        public let interface: String
        public let region: String?
        public let url: String
    }

    public let endpoints: [Endpoint]

    public init(endpoints: [Endpoint]) { self.endpoints = endpoints }

    /// The catalog of a token body (`token.catalog`).
    init(_ catalog: JSONValue?) {
        var endpoints: [Endpoint] = []
        for service in catalog?.array ?? [] {
            guard let type = service["type"]?.string else { continue }
            for endpoint in service["endpoints"]?.array ?? [] {
                guard let interface = endpoint["interface"]?.string, let url = endpoint["url"]?.string else { continue }
                endpoints.append(
                    .init(type: type, interface: interface, region: endpoint["region_id"]?.string ?? endpoint["region"]?.string, url: url))
            }
        }
        self.endpoints = endpoints
    }

    /// The one endpoint of `type` for `interface` in `region` (any region when nil, if there is
    /// only one). Several regions and none chosen is an error that lists them.
    public func endpoint(type: String, region: String?, interface: String) throws(OpenStackError) -> String {
        let ofType = endpoints.filter { $0.type == type }
        let matching = ofType.filter { $0.interface == interface && (region == nil || $0.region == region) }
        let available = ofType.map { "\($0.interface)@\($0.region ?? "-")" }
        guard let first = matching.first else {
            throw .noEndpoint(type: type, region: region, interface: interface, available: available)
        }
        let regions = Set(matching.map { $0.region ?? "" })
        if region == nil, regions.count > 1 {
            throw .configuration(
                file: "environment", key: "OS_REGION_NAME",
                reason: "the catalog has '\(type)' in several regions (\(regions.sorted().joined(separator: ", "))): choose one (region_name)")
        }
        return first.url
    }
}
