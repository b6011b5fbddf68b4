import Foundation
import ImageBuilderKit
import Synchronization

/// A real Keystone 30 and Glance 33 on 127.0.0.1 (Tests/Fixtures/openstack_cloud.py, from the
/// virtual environment `make test-deps` makes), started once per test process. Each test takes a
/// project of its own (a user, a password, an application credential), so its images are its own.
package struct OpenStackCloud: Sendable {
    package struct Project: Sendable {
        package let name: String
        package let user: String
        package let password: String
        package let applicationCredentialID: String
        package let applicationCredentialSecret: String
    }

    package let authURL: String
    /// The same Keystone over TLS, and the CA that signed its certificate.
    package let tlsAuthURL: String
    package let caFile: String
    package let glance: String
    let projects: [Project]

    package static let venv = Fixtures.repoRoot + "/.build-tools/openstack-venv"
    package static var available: Bool { FileReader.isExecutable(venv + "/bin/gunicorn") || Fixtures.isCI }
    static let projectCount = 16
    private static let taken = Mutex(0)

    private static let shared = Task<OpenStackCloud, any Error> {
        let root = try Fixtures.makeTemporaryDirectory("ib-openstack")
        let script = Fixtures.repoRoot + "/Tests/Fixtures/openstack_cloud.py"
        let command = ProcessCommand(
            executable: "/usr/bin/env", arguments: ["python3", script, venv, root, String(projectCount)],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": root], workingDirectory: root)
        // Runs until the test process ends (the script follows its parent).
        let server = Task.detached { try await SubprocessRunner(grace: .seconds(5)).run(command) { _, _ in } }
        let file = root + "/cloud.json"
        // As long as the script lives (a loaded CI machine took over two minutes), at most ten.
        let ended = Ended()
        Task.detached {
            _ = await server.result
            ended.flag.withLock { $0 = true }
        }
        for _ in 0..<6000 where !FileReader.exists(file) && !ended.flag.withLock({ $0 }) {
            try await Task.sleep(for: .milliseconds(100))
        }
        guard let text = Fixtures.read(file), let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let auth = json["auth_url"] as? String, let glance = json["glance"] as? String,
            let tlsAuth = json["tls_auth_url"] as? String, let caFile = json["ca_file"] as? String,
            let list = json["projects"] as? [[String: String]]
        else { throw CloudDidNotStart(log: String((Fixtures.read(root + "/servers.log") ?? "").suffix(3000))) }
        let projects = list.map {
            Project(
                name: $0["project"] ?? "", user: $0["user"] ?? "", password: $0["password"] ?? "",
                applicationCredentialID: $0["application_credential_id"] ?? "",
                applicationCredentialSecret: $0["application_credential_secret"] ?? "")
        }
        SuiteCaptures.registerSecrets(projects.flatMap { [$0.password, $0.applicationCredentialSecret] })
        return OpenStackCloud(authURL: auth, tlsAuthURL: tlsAuth, caFile: caFile, glance: glance, projects: projects)
    }

    /// The shared cloud and a project no other test uses.
    package static func project() async throws -> (OpenStackCloud, Project) {
        let cloud = try await shared.value
        let index = taken.withLock { count -> Int in
            count += 1
            return count - 1
        }
        guard index < cloud.projects.count else { throw OutOfProjects() }
        return (cloud, cloud.projects[index])
    }

    /// The `OS_*` environment for password auth to `project`.
    package func passwordEnvironment(_ project: Project) -> [String: String] {
        [
            "OS_AUTH_URL": authURL, "OS_USERNAME": project.user, "OS_PASSWORD": project.password, "OS_PROJECT_NAME": project.name,
            "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_NAME": "Default", "OS_REGION_NAME": "RegionOne",
        ]
    }

    /// Every image of the project, any status, read by Tests/Fixtures/glance_images.py.
    package func images(_ project: Project) async throws -> [[String: Any]] {
        let read = try await reader("images", project)
        return try JSONSerialization.jsonObject(with: Data(read.utf8)) as? [[String: Any]] ?? []
    }

    /// A fresh token for the project (registered as a secret).
    package func token(_ project: Project) async throws -> String {
        let file = try Fixtures.makeTemporaryDirectory("ib-token") + "/token"
        _ = try await reader("token", project, file)
        let token = Fixtures.read(file) ?? ""
        SuiteCaptures.registerSecrets([token])
        return token
    }

    private func reader(_ verb: String, _ project: Project, _ file: String? = nil) async throws -> String {
        var environment = passwordEnvironment(project)
        environment["PATH"] = "/usr/local/bin:/usr/bin:/bin"
        let run = try await ProcessCapture.run(
            "/usr/bin/env", ["python3", Fixtures.repoRoot + "/Tests/Fixtures/glance_images.py", verb] + (file.map { [$0] } ?? []),
            environment: environment)
        guard run.status == 0 else { throw ReaderFailed(stderr: run.stderr) }
        return run.stdout
    }

    struct CloudDidNotStart: Error { let log: String }
    private final class Ended: Sendable { let flag = Mutex(false) }
    struct OutOfProjects: Error {}
    struct ReaderFailed: Error { let stderr: String }
}
