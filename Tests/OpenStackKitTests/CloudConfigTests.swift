import Foundation
import ImageBuilderTestSupport
import Testing

@testable import OpenStackKit

/// Which cloud and credentials: clouds.yaml's search path and secure.yaml, the OS_* environment,
/// and errors that name the file (or variable) and the key.
struct CloudConfigTests {
    static func home() throws -> (home: String, cwd: String) {
        let home = try Fixtures.makeTemporaryDirectory("ib-clouds")
        let cwd = home + "/work"
        try FileManager.default.createDirectory(atPath: cwd, withIntermediateDirectories: true)
        return (home, cwd)
    }

    static let cloud = """
        clouds:
          prod:
            auth:
              auth_url: https://keystone.example:5000
              username: builder
              project_name: images
              user_domain_name: Default
              project_domain_id: default
            region_name: RegionTwo
            interface: internal
            cacert: /etc/ssl/cloud-ca.pem
        """

    @Test func cloudsYAMLWithSecureYAMLGivesPasswordAuth() throws {
        let (home, cwd) = try Self.home()
        try Fixtures.write(Self.cloud, to: home + "/.config/openstack/clouds.yaml")
        try Fixtures.write("clouds:\n  prod:\n    auth:\n      password: s3cret-pass\n", to: home + "/.config/openstack/secure.yaml")
        let auth = try CloudConfig.resolve(environment: ["OS_CLOUD": "prod", "HOME": home], workingDirectory: cwd)
        #expect(auth.authURL == "https://keystone.example:5000")
        #expect(auth.method == .password(user: .init(name: "builder", domainName: "Default"), password: SecretText("s3cret-pass")))
        #expect(auth.project == .init(name: "images", domainID: "default"))
        #expect(auth.region == "RegionTwo" && auth.interface == "internal" && auth.trust == .caFile("/etc/ssl/cloud-ca.pem"))
        #expect(auth.source.contains(home + "/.config/openstack/clouds.yaml"))
        // Never printed.
        #expect(!"\(auth)".contains("s3cret-pass"))
    }

    @Test func theWorkingDirectoryComesFirstAndXDGConfigHomeIsFollowed() throws {
        let (home, cwd) = try Self.home()
        try Fixtures.write(Self.cloud, to: home + "/.config/openstack/clouds.yaml")
        try Fixtures.write(Self.cloud.replacingOccurrences(of: "RegionTwo", with: "Here") + "\n", to: cwd + "/clouds.yaml")
        try Fixtures.write(Self.cloud.replacingOccurrences(of: "RegionTwo", with: "XDG"), to: home + "/xdg/openstack/clouds.yml")
        let environment = ["OS_CLOUD": "prod", "HOME": home, "OS_PASSWORD": "unused"]
        #expect(throws: OpenStackError.self) { try CloudConfig.resolve(environment: environment, workingDirectory: home) }
        let here = try? CloudConfig.resolve(environment: environment, workingDirectory: cwd)
        // No password anywhere in the files: the error names the cloud's password key.
        #expect(here == nil)
        do {
            _ = try CloudConfig.resolve(environment: environment, workingDirectory: cwd)
        } catch {
            #expect(error.description == "\(cwd)/clouds.yaml: clouds.prod.auth.password: missing for password auth")
        }
        try Fixtures.write("clouds:\n  prod:\n    auth:\n      password: p\n", to: cwd + "/secure.yaml")
        #expect(try CloudConfig.resolve(environment: environment, workingDirectory: cwd).region == "Here")
        let xdg = environment.merging(["XDG_CONFIG_HOME": home + "/xdg"]) { $1 }
        try Fixtures.write("clouds:\n  prod:\n    auth:\n      password: p\n", to: home + "/xdg/openstack/secure.yaml")
        #expect(try CloudConfig.resolve(environment: xdg, workingDirectory: home).region == "XDG")
    }

    @Test func badValuesNameTheFileAndTheKey() throws {
        let (home, cwd) = try Self.home()
        let file = cwd + "/clouds.yaml"
        func error(_ yaml: String, cloud: String = "c") -> String {
            try? Fixtures.write(yaml, to: file)
            do {
                _ = try CloudConfig.resolve(environment: ["OS_CLOUD": cloud, "HOME": home], workingDirectory: cwd)
                return "no error"
            } catch { return error.description }
        }
        let base =
            "clouds:\n  c:\n    auth:\n      auth_url: http://k:5000/v3\n      username: u\n      password: p\n      project_name: x\n      user_domain_name: D\n"
        #expect(
            error(base + "    auth_type: saml2\n")
                == "\(file): clouds.c.auth_type: 'saml2' is not supported (password, v3password, v3applicationcredential, v3token, token_endpoint)")
        #expect(error(base + "    verify: maybe\n") == "\(file): clouds.c.verify: not a boolean: 'maybe'")
        #expect(error(base + "    interface: private\n") == "\(file): clouds.c.interface: must be public, internal or admin, not 'private'")
        #expect(error(base + "    identity_api_version: 2\n") == "\(file): clouds.c.identity_api_version: only Keystone v3 is supported, not '2'")
        #expect(error(base, cloud: "d") == "\(file): clouds.d: no such cloud (OS_CLOUD); it has: c")
        #expect(error("clouds: [").hasPrefix("\(file): -: not valid YAML"))
        #expect(
            error(base.replacingOccurrences(of: "      auth_url: http://k:5000/v3\n", with: ""))
                == "\(file): clouds.c.auth.auth_url: missing: Keystone's URL is needed to sign in")
        _ = error(base)
        #expect(try CloudConfig.resolve(environment: ["OS_CLOUD": "c", "HOME": home], workingDirectory: cwd).trust == .system)
        _ = error(base + "    verify: false\n")
        #expect(try CloudConfig.resolve(environment: ["OS_CLOUD": "c", "HOME": home], workingDirectory: cwd).trust == .insecure)
        // A FIFO is refused, not read.
        try? FileManager.default.removeItem(atPath: file)
        #expect(mkfifo(file, 0o600) == 0)
        #expect(throws: OpenStackError.configuration(file: file, key: "-", reason: "not a regular file")) {
            try CloudConfig.resolve(environment: ["OS_CLOUD": "c", "HOME": home], workingDirectory: cwd)
        }
    }

    @Test func theEnvironmentGivesPasswordApplicationCredentialOrEndpointToken() throws {
        let password = try CloudConfig.resolve(
            environment: [
                "OS_AUTH_URL": "http://k/identity", "OS_USERNAME": "u", "OS_PASSWORD": "pw", "OS_PROJECT_NAME": "p",
                "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_NAME": "Default", "OS_INSECURE": "true",
            ], workingDirectory: "/")
        #expect(password.trust == .insecure && password.interface == "public" && password.source == "the OS_* environment")
        let credential = try CloudConfig.resolve(
            environment: ["OS_AUTH_URL": "http://k", "OS_APPLICATION_CREDENTIAL_ID": "id1", "OS_APPLICATION_CREDENTIAL_SECRET": "s"],
            workingDirectory: "/")
        #expect(credential.method == .applicationCredential(id: "id1", name: nil, user: nil, secret: SecretText("s")))
        let token = try CloudConfig.resolve(environment: ["OS_ENDPOINT": "http://g:9292", "OS_TOKEN": "t"], workingDirectory: "/")
        #expect(token.method == .endpointToken(endpoint: "http://g:9292", token: SecretText("t")) && token.authURL == nil)
        #expect(
            throws: OpenStackError.configuration(
                file: "environment", key: "OS_PROJECT_NAME",
                reason: "missing: password auth needs the project to scope to (project_name or project_id)")
        ) {
            try CloudConfig.resolve(
                environment: ["OS_AUTH_URL": "http://k", "OS_USERNAME": "u", "OS_USER_DOMAIN_ID": "d", "OS_PASSWORD": "x"], workingDirectory: "/")
        }
        #expect(throws: OpenStackError.self) { try CloudConfig.resolve(environment: [:], workingDirectory: "/") }
    }

    @Test func keystoneBodiesAndTheCatalog() throws {
        let auth = CloudAuth(
            authURL: "http://k:5000/",
            method: .applicationCredential(id: nil, name: "ci", user: .init(name: "u", domainID: "default"), secret: SecretText("s")),
            project: .init(name: "p", domainName: "D"), region: nil, source: "test")
        // An application credential carries its own scope: none is sent.
        #expect(
            String(decoding: Keystone.authBody(auth).encoded(), as: UTF8.self)
                == #"{"identity":{"application_credential":{"name":"ci","secret":"s","user":{"domain":{"id":"default"},"name":"u"}},"methods":["application_credential"]}}"#
        )
        #expect(Keystone.versionedURL("http://k:5000/") == "http://k:5000/v3" && Keystone.versionedURL("http://k/v3") == "http://k/v3")
        let catalog = ServiceCatalog(endpoints: [
            .init(type: "image", interface: "public", region: "A", url: "http://a"),
            .init(type: "image", interface: "internal", region: "A", url: "http://ai"),
            .init(type: "image", interface: "public", region: "B", url: "http://b"),
        ])
        #expect(try catalog.endpoint(type: "image", region: "B", interface: "public") == "http://b")
        #expect(try catalog.endpoint(type: "image", region: "A", interface: "internal") == "http://ai")
        #expect(throws: OpenStackError.self) { try catalog.endpoint(type: "image", region: nil, interface: "public") }
        #expect(
            throws: OpenStackError.noEndpoint(type: "image", region: "C", interface: "public", available: ["public@A", "internal@A", "public@B"])
        ) {
            try catalog.endpoint(type: "image", region: "C", interface: "public")
        }
        #expect(Glance(endpoint: "http://g:9292/", token: SecretText("t"), http: try OpenStackHTTP(trust: .system)).root == "http://g:9292/v2")
        #expect(Glance(endpoint: "http://g/image/v2", token: SecretText("t"), http: try OpenStackHTTP(trust: .system)).root == "http://g/image/v2")
    }
}
