/// Everything needed to reach one cloud's Glance: how to authenticate to Keystone v3 (or a given
/// endpoint and token instead), the scope, which catalog endpoint to use, and how TLS is checked.
public struct CloudAuth: Sendable, Equatable {
    public enum Method: Sendable, Equatable {
        /// Keystone v3 password auth.
        case password(user: Identity, password: SecretText)
        /// `v3applicationcredential`: by id, or by name with the owning user. Carries its own scope.
        case applicationCredential(id: String?, name: String?, user: Identity?, secret: SecretText)
        /// An existing Keystone token, rescoped (`v3token`).
        case token(SecretText)
        /// No Keystone: this token is sent to this Glance endpoint as it is.
        case endpointToken(endpoint: String, token: SecretText)
    }

    /// A user or project: by id, or by name within a domain (by id or name).
    public struct Identity: Sendable, Equatable {
        public var id: String?
        public var name: String?
        public var domainID: String?
        public var domainName: String?

        public init(id: String? = nil, name: String? = nil, domainID: String? = nil, domainName: String? = nil) {
            (self.id, self.name, self.domainID, self.domainName) = (id, name, domainID, domainName)
        }

        var isEmpty: Bool { id == nil && name == nil }
    }

    public enum Trust: Sendable, Equatable {
        case system
        /// The system's roots plus the CA certificates in this PEM file.
        case caFile(String)
        /// No verification (`verify: false`, `OS_INSECURE=true`): warned about once.
        case insecure
    }

    /// Keystone's URL as configured (with or without `/v3`); nil for `endpointToken`.
    public var authURL: String?
    public var method: Method
    /// The project to scope to (password and token auth).
    public var project: Identity?
    public var region: String?
    /// `public` unless configured.
    public var interface: String
    public var trust: Trust
    /// Where this came from, for messages: `clouds.yaml cloud 'x' (/path)` or `the OS_* environment`.
    public var source: String

    public init(
        authURL: String?, method: Method, project: Identity?, region: String?, interface: String = "public", trust: Trust = .system,
        source: String
    ) {
        self.authURL = authURL
        self.method = method
        self.project = project
        self.region = region
        self.interface = interface
        self.trust = trust
        self.source = source
    }

    /// The secrets this configuration holds, for a caller that scrubs output.
    public var secrets: [String] {
        switch method {
        case .password(_, let password): [password.reveal]
        case .applicationCredential(_, _, _, let secret): [secret.reveal]
        case .token(let token), .endpointToken(_, let token): [token.reveal]
        }
    }
}
