import Foundation

/// One cloud's settings as flat keys (`auth_url`, `username`, `region_name`, …), each with
/// where it came from, read from clouds.yaml + secure.yaml or the `OS_*` environment; `auth()`
/// checks them into a `CloudAuth`. Errors name the file (or variable) and the key.
struct CloudSettings {
    struct Value {
        let text: String
        /// A file path, or `environment` for a variable.
        let origin: String
        /// The key as the user wrote it: `auth.password` in a file, `OS_PASSWORD` in the environment.
        let key: String
    }

    var values: [String: Value] = [:]
    let source: String
    /// Where a key that is not set would go: the clouds.yaml (with `clouds.<name>`), or the environment.
    var file = "environment"
    var prefix: String?

    subscript(key: String) -> String? { values[key].flatMap { $0.text.isEmpty ? nil : $0.text } }

    func error(_ key: String, _ reason: String) -> OpenStackError {
        if let value = values[key] { return .configuration(file: value.origin, key: value.key, reason: reason) }
        // Not set: named as the user would set it.
        guard let prefix else {
            let variable = Self.environmentKeys.first { $0.1 == key }?.0 ?? key
            return .configuration(file: file, key: variable, reason: reason)
        }
        let topLevel = ["region_name", "interface", "cacert", "verify", "insecure", "auth_type", "identity_api_version"]
        return .configuration(file: file, key: topLevel.contains(key) ? "\(prefix).\(key)" : "\(prefix).auth.\(key)", reason: reason)
    }

    /// The `OS_*` variables and the keys they set.
    static let environmentKeys: [(String, String)] = [
        ("OS_AUTH_URL", "auth_url"), ("OS_AUTH_TYPE", "auth_type"), ("OS_USERNAME", "username"), ("OS_USER_ID", "user_id"),
        ("OS_PASSWORD", "password"), ("OS_PROJECT_NAME", "project_name"), ("OS_TENANT_NAME", "project_name"),
        ("OS_PROJECT_ID", "project_id"), ("OS_TENANT_ID", "project_id"), ("OS_USER_DOMAIN_NAME", "user_domain_name"),
        ("OS_USER_DOMAIN_ID", "user_domain_id"), ("OS_PROJECT_DOMAIN_NAME", "project_domain_name"),
        ("OS_PROJECT_DOMAIN_ID", "project_domain_id"), ("OS_DOMAIN_NAME", "domain_name"), ("OS_DOMAIN_ID", "domain_id"),
        ("OS_APPLICATION_CREDENTIAL_ID", "application_credential_id"),
        ("OS_APPLICATION_CREDENTIAL_NAME", "application_credential_name"),
        ("OS_APPLICATION_CREDENTIAL_SECRET", "application_credential_secret"), ("OS_TOKEN", "token"),
        ("OS_ENDPOINT", "endpoint"), ("OS_IMAGE_URL", "image_endpoint_override"), ("OS_REGION_NAME", "region_name"),
        ("OS_INTERFACE", "interface"), ("OS_ENDPOINT_TYPE", "interface"), ("OS_CACERT", "cacert"), ("OS_INSECURE", "insecure"),
        ("OS_IDENTITY_API_VERSION", "identity_api_version"),
    ]

    static func fromEnvironment(_ environment: [String: String]) -> CloudSettings {
        var settings = CloudSettings(source: "the OS_* environment")
        for (variable, key) in environmentKeys {
            if let text = environment[variable], !text.isEmpty, settings.values[key] == nil {
                settings.values[key] = Value(text: text, origin: "environment", key: variable)
            }
        }
        return settings
    }

    func auth() throws(OpenStackError) -> CloudAuth {
        if let version = self["identity_api_version"], !["3", "3.0"].contains(version) {
            throw error("identity_api_version", "only Keystone v3 is supported, not '\(version)'")
        }
        let user = CloudAuth.Identity(
            id: self["user_id"], name: self["username"],
            domainID: self["user_domain_id"] ?? self["domain_id"], domainName: self["user_domain_name"] ?? self["domain_name"])
        let project = CloudAuth.Identity(
            id: self["project_id"], name: self["project_name"],
            domainID: self["project_domain_id"] ?? self["domain_id"], domainName: self["project_domain_name"] ?? self["domain_name"])
        let method = try method(user: user)
        var authURL: String?
        if case .endpointToken = method {
        } else {
            guard let url = self["auth_url"] else { throw error("auth_url", "missing: Keystone's URL is needed to sign in") }
            guard url.hasPrefix("https://") || url.hasPrefix("http://") else { throw error("auth_url", "not an http(s) URL: '\(url)'") }
            authURL = url
        }
        if case .password = method, project.isEmpty {
            throw error("project_name", "missing: password auth needs the project to scope to (project_name or project_id)")
        }
        let interface = (self["interface"] ?? "public").replacingOccurrences(of: "URL", with: "")
        guard ["public", "internal", "admin"].contains(interface) else {
            throw error("interface", "must be public, internal or admin, not '\(interface)'")
        }
        return CloudAuth(
            authURL: authURL, method: method, project: project.isEmpty ? nil : project, region: self["region_name"],
            interface: interface, trust: try trust(), source: source)
    }

    private func method(user: CloudAuth.Identity) throws(OpenStackError) -> CloudAuth.Method {
        let type = self["auth_type"] ?? inferredType
        switch type.lowercased().replacingOccurrences(of: "-", with: "_") {
        case "password", "v3password":
            guard !user.isEmpty else { throw error("username", "missing: password auth needs a user (username or user_id)") }
            guard let password = self["password"] else { throw error("password", "missing for password auth") }
            if user.id == nil, user.domainID == nil, user.domainName == nil {
                throw error("user_domain_name", "missing: a user named '\(user.name ?? "")' needs its domain (user_domain_name or user_domain_id)")
            }
            return .password(user: user, password: SecretText(password))
        case "v3applicationcredential", "applicationcredential", "application_credential", "v3_application_credential":
            guard let secret = self["application_credential_secret"] else {
                throw error("application_credential_secret", "missing for application credential auth")
            }
            let id = self["application_credential_id"]
            let name = self["application_credential_name"]
            guard id != nil || (name != nil && !user.isEmpty) else {
                throw error("application_credential_id", "missing: give the credential's id, or its name and the user")
            }
            return .applicationCredential(id: id, name: name, user: user.isEmpty ? nil : user, secret: SecretText(secret))
        case "token", "v3token":
            guard let token = self["token"] else { throw error("token", "missing for token auth") }
            return .token(SecretText(token))
        case "admin_token", "token_endpoint", "none", "noauth":
            guard let endpoint = self["endpoint"] ?? self["image_endpoint_override"] else {
                throw error("endpoint", "missing: token_endpoint auth needs Glance's URL")
            }
            guard let token = self["token"] else { throw error("token", "missing for token_endpoint auth") }
            return .endpointToken(endpoint: endpoint, token: SecretText(token))
        default:
            throw error(
                "auth_type", "'\(type)' is not supported (password, v3password, v3applicationcredential, v3token, token_endpoint)")
        }
    }

    /// What an unset `auth_type` means: the keys that are there tell.
    private var inferredType: String {
        if self["application_credential_secret"] != nil { return "v3applicationcredential" }
        if self["token"] != nil, self["password"] == nil {
            return self["auth_url"] == nil && (self["endpoint"] ?? self["image_endpoint_override"]) != nil ? "token_endpoint" : "v3token"
        }
        return "password"
    }

    private func trust() throws(OpenStackError) -> CloudAuth.Trust {
        func flag(_ key: String) throws(OpenStackError) -> Bool? {
            guard let text = self[key]?.lowercased() else { return nil }
            switch text {
            case "true", "yes", "1", "on": return true
            case "false", "no", "0", "off": return false
            default: throw error(key, "not a boolean: '\(text)'")
            }
        }
        if try flag("insecure") == true { return .insecure }
        if try flag("verify") == false { return .insecure }
        if let file = self["cacert"] { return .caFile(file) }
        return .system
    }
}
