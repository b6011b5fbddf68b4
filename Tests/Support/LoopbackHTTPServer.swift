import ImageBuilderKit

/// Tests/Fixtures/http_server.py: serves a folder on 127.0.0.1 (a free port) and logs every
/// request; stopped when the test ends.
package struct LoopbackHTTPServer: Sendable {
    package let port: String
    /// One `METHOD /path` line per request.
    package let log: String
    let task: Task<ProcessOutcome, any Error>

    package static func start(serving folder: String) async throws -> LoopbackHTTPServer {
        let portFile = folder + "/.port"
        let log = folder + "/.requests"
        let command = ProcessCommand(
            executable: "/usr/bin/env",
            arguments: ["python3", Fixtures.repoRoot + "/Tests/Fixtures/http_server.py", folder, portFile, log],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin"], workingDirectory: folder)
        let task = Task { try await SubprocessRunner(grace: .seconds(1)).run(command) { _, _ in } }
        for _ in 0..<200 where !FileReader.exists(portFile) { try await Task.sleep(for: .milliseconds(25)) }
        guard let port = Fixtures.read(portFile) else {
            task.cancel()
            throw ServerDidNotStart()
        }
        return LoopbackHTTPServer(port: port, log: log, task: task)
    }

    package func stop() { task.cancel() }

    struct ServerDidNotStart: Error {}
}
