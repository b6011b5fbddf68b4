/// Keystone v3: signs in (password, application credential, or rescoping a token) and returns the
/// token with its service catalog.
public struct Keystone: Sendable {
    public struct Session: Sendable {
        public let token: SecretText
        public let catalog: ServiceCatalog
        public let projectID: String?
        /// Where the token came from, for messages.
        public let authURL: String
    }

    let http: OpenStackHTTP

    public init(http: OpenStackHTTP) { self.http = http }

    /// `…/v3` for a configured URL with or without the version.
    public static func versionedURL(_ url: String) -> String {
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        return base.hasSuffix("/v3") || base.hasSuffix("/v3.0") ? base : base + "/v3"
    }

    /// A session for `auth`; for `endpointToken` the token is used as it is, with no catalog.
    public func authenticate(_ auth: CloudAuth) async throws(OpenStackError) -> Session {
        if case .endpointToken(let endpoint, let token) = auth.method {
            return Session(
                token: token,
                catalog: ServiceCatalog(endpoints: [
                    .init(type: "image", interface: auth.interface, region: auth.region, url: endpoint)
                ]), projectID: nil, authURL: endpoint)
        }
        let url = Self.versionedURL(auth.authURL ?? "") + "/auth/tokens"
        let body = JSONValue.object(["auth": Self.authBody(auth)]).encoded()
        let response = try await http.send(
            service: "Keystone", method: "POST", url: url, headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
            body: body)
        switch response.status {
        case 201, 200: break
        case 401, 403: throw .authentication(url: url, status: response.status, message: OpenStackError.message(from: response.body))
        default:
            throw .http(service: "Keystone", method: "POST", url: url, status: response.status, message: OpenStackError.message(from: response.body))
        }
        guard let token = response.header("X-Subject-Token"), !token.isEmpty else {
            throw .malformed(service: "Keystone", url: url, reason: "no X-Subject-Token header")
        }
        let json = try? JSONValue.parse(response.body)
        guard let catalog = json?["token"]?["catalog"] else {
            throw .malformed(service: "Keystone", url: url, reason: "the token has no catalog (is it scoped to a project?)")
        }
        return Session(
            token: SecretText(token), catalog: ServiceCatalog(catalog), projectID: json?["token"]?["project"]?["id"]?.string,
            authURL: Self.versionedURL(auth.authURL ?? ""))
    }

    static func identity(_ identity: CloudAuth.Identity) -> [String: JSONValue] {
        if let id = identity.id { return ["id": .string(id)] }
        var result: [String: JSONValue] = ["name": .string(identity.name ?? "")]
        if let domain = identity.domainID {
            result["domain"] = .object(["id": .string(domain)])
        } else if let domain = identity.domainName {
            result["domain"] = .object(["name": .string(domain)])
        }
        return result
    }

    static func authBody(_ auth: CloudAuth) -> JSONValue {
        var identity: [String: JSONValue]
        var scoped = true
        switch auth.method {
        case .password(let user, let password):
            var entry = Self.identity(user)
            entry["password"] = .string(password.reveal)
            identity = ["methods": .array([.string("password")]), "password": .object(["user": .object(entry)])]
        case .applicationCredential(let id, let name, let user, let secret):
            var entry: [String: JSONValue] = ["secret": .string(secret.reveal)]
            if let id {
                entry["id"] = .string(id)
            } else {
                entry["name"] = .string(name ?? "")
                if let user { entry["user"] = .object(Self.identity(user)) }
            }
            identity = ["methods": .array([.string("application_credential")]), "application_credential": .object(entry)]
            // An application credential carries its own project: a scope is refused.
            scoped = false
        case .token(let token), .endpointToken(_, let token):
            identity = ["methods": .array([.string("token")]), "token": .object(["id": .string(token.reveal)])]
        }
        var body: [String: JSONValue] = ["identity": .object(identity)]
        if scoped, let project = auth.project { body["scope"] = .object(["project": .object(Self.identity(project))]) }
        return .object(body)
    }
}
