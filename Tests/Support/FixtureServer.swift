package import ImageBuilderKit

/// A loopback test server written in Python (Tests/Fixtures/*.py): started in a folder of its own,
/// ready once it has written `folder/port`; stopped by cancelling its task.
package enum FixtureServer {
    package static func start(
        script: String, folder: String, arguments: [String]
    ) async throws -> (port: String, task: Task<ProcessOutcome, any Error>) {
        let command = ProcessCommand(
            executable: "/usr/bin/python3", arguments: [Fixtures.repoRoot + "/Tests/Fixtures/" + script, folder] + arguments,
            environment: ["PATH": "/usr/bin:/bin"], workingDirectory: folder)
        let task = Task { try await SubprocessRunner(grace: .seconds(1)).run(command) { _, _ in } }
        for _ in 0..<200 where !FileReader.exists(folder + "/port") { try await Task.sleep(for: .milliseconds(25)) }
        guard let port = Fixtures.read(folder + "/port") else {
            task.cancel()
            throw ServerDidNotStart(script: script)
        }
        return (port, task)
    }

    struct ServerDidNotStart: Error { let script: String }
}
