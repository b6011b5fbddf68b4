import ImageBuilderKit

/// Tests/Fixtures/maas_server.py on 127.0.0.1: MAAS's boot-resource handlers with their rules,
/// every OAuth header checked by Debian's python3-oauthlib. A fresh key per server (handed over in
/// a file, never argv); stopped when the test ends.
package struct MAASServerFixture: Sendable {
    package let folder: String
    package let url: String
    package let apiKey: String
    let task: Task<ProcessOutcome, any Error>

    package static let libmaasVenv = Fixtures.repoRoot + "/.build-tools/maas-venv"
    package static var available: Bool {
        (FileReader.isExecutable(libmaasVenv + "/bin/python") && FileReader.exists("/usr/lib/python3/dist-packages/oauthlib")) || Fixtures.isCI
    }

    package static func start(_ options: [String] = []) async throws -> MAASServerFixture {
        let folder = try Fixtures.makeTemporaryDirectory("ib-maas")
        let secret = String((0..<18).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
        let key = "consumer\(Int.random(in: 1000...9999)):token\(Int.random(in: 1000...9999)):\(secret)"
        try Fixtures.write(key, to: folder + "/key", mode: 0o600)
        SuiteCaptures.registerSecrets([secret, key])
        let (port, task) = try await FixtureServer.start(script: "maas_server.py", folder: folder, arguments: ["-"] + options)
        return MAASServerFixture(folder: folder, url: "http://127.0.0.1:\(port)/MAAS/", apiKey: key, task: task)
    }

    package var environment: [String: String] { ["MAAS_URL": url, "MAAS_API_KEY": apiKey] }

    /// The requests the server saw: method, path, Content-Length, bytes received, the OAuth verdict.
    package func requests() -> [[String: String]] {
        (Fixtures.read(folder + "/requests.log") ?? "").split(separator: "\n").compactMap { line in
            guard let object = try? JSONParser.parse(String(line)), case .object(let members) = object else { return nil }
            var entry: [String: String] = [:]
            for member in members {
                switch member.value {
                case .string(let text): entry[member.key] = text
                case .number(let number): entry[member.key] = number
                default: break
                }
            }
            return entry
        }
    }

    /// The bytes the server stored for boot resource file `id`.
    package func stored(_ id: Int) -> String { folder + "/files/\(id)" }

    package func stop() { task.cancel() }
}
