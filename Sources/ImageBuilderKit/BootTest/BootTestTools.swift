public import ImageBuilderBasics

/// The host tools a boot test runs, found on PATH before anything starts (exit 3 naming the
/// missing one), then run through the process seam with their output kept.
package struct BootTestTools: Sendable {
    package let paths: [String: String]
    let processes: any ProcessRunning

    static let required: [(tool: String, package: String)] = [
        ("qemu-system-x86_64", "qemu-system-x86"), ("qemu-img", "qemu-utils"), ("xorriso", "xorriso"),
        ("ssh", "openssh-client"), ("ssh-keygen", "openssh-client"),
    ]

    package static func locate(_ environment: RunEnvironment, processes: any ProcessRunning) throws(EnvironmentError) -> BootTestTools {
        BootTestTools(paths: try HostToolSearch.locate(required, environment), processes: processes)
    }

    /// Runs a tool to the end: its exit status and its output (at most `keep` last lines).
    package func run(_ tool: String, _ arguments: [String], keep: Int = 200) async throws -> (ProcessOutcome, [String]) {
        let lines = LineCollector(limit: keep)
        let command = ProcessCommand(
            executable: paths[tool] ?? tool, arguments: arguments,
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C"], workingDirectory: "/", label: tool)
        let outcome = try await processes.run(command) { _, line in lines.append(line) }
        return (outcome, lines.all)
    }

    /// Runs a tool that must succeed; a failure throws with its last lines.
    package func require(_ tool: String, _ arguments: [String]) async throws -> [String] {
        let (outcome, lines) = try await run(tool, arguments)
        guard outcome.succeeded else {
            throw BootTestError.toolFailed(tool: tool, outcome: "\(outcome)", output: lines.suffix(8).joined(separator: "\n"))
        }
        return lines
    }
}
