import ImageBuilderKit

/// Tests/Fixtures/one_server.py on 127.0.0.1: OpenNebula's XML-RPC calls for images and VM
/// templates, with a fresh oneadmin password per server (handed over in a file, never argv).
package struct OneServerFixture: Sendable {
    package let folder: String
    package let endpoint: String
    package let session: String
    let task: Task<ProcessOutcome, any Error>

    package static let pyoneVenv = Fixtures.repoRoot + "/.build-tools/one-venv"
    package static var available: Bool { FileReader.isExecutable(pyoneVenv + "/bin/python") || Fixtures.isCI }

    package static func start(_ options: [String] = []) async throws -> OneServerFixture {
        let folder = try Fixtures.makeTemporaryDirectory("ib-one")
        let password = "pw-" + String((0..<16).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
        let session = "oneadmin:" + password
        try Fixtures.write(session, to: folder + "/auth", mode: 0o600)
        SuiteCaptures.registerSecrets([password, session])
        let (port, task) = try await FixtureServer.start(script: "one_server.py", folder: folder, arguments: options)
        return OneServerFixture(folder: folder, endpoint: "http://127.0.0.1:\(port)/RPC2", session: session, task: task)
    }

    package var environment: [String: String] { ["ONE_XMLRPC": endpoint, "ONE_AUTH": session] }

    /// The calls the server saw: method and typed parameters, consecutive repeats of a call
    /// (polling) collapsed, as one line each.
    package func calls() -> [String] {
        var lines: [String] = []
        for line in (Fixtures.read(folder + "/calls.log") ?? "").split(separator: "\n").map(String.init) where lines.last != line {
            lines.append(line)
        }
        return lines
    }

    package func stop() { task.cancel() }
}
