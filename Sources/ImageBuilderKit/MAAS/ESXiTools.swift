public import ImageBuilderBasics
import ImageBuilderPacker

/// The host tools the MAAS ESXi build runs besides packer, found on PATH before anything
/// starts (exit 3 naming the missing one), then run through the process seam.
package struct ESXiTools: Sendable {
    package let paths: [String: String]
    let processes: any ProcessRunning

    /// Each tool and the Debian package that has it.
    static let required: [(tool: String, package: String)] = [
        ("qemu-system-x86_64", "qemu-system-x86"), ("mformat", "mtools"), ("mcopy", "mtools"), ("mmd", "mtools"),
        ("tar", "tar"), ("xz", "xz-utils"), ("openssl", "openssl"),
    ]

    package static func locate(_ environment: RunEnvironment, processes: any ProcessRunning) throws(EnvironmentError) -> ESXiTools {
        ESXiTools(paths: try HostToolSearch.locate(required, environment, extraHint: ", or run `make deps-ova`"), processes: processes)
    }

    /// Runs a tool to the end; a failure throws with the tool's own last lines.
    package func run(_ tool: String, _ arguments: [String], workingDirectory: String = "/") async throws {
        let lines = LineCollector(limit: 8)
        let command = ProcessCommand(
            executable: paths[tool] ?? tool, arguments: arguments,
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "MTOOLS_SKIP_CHECK": "1", "LC_ALL": "C"],
            workingDirectory: workingDirectory, label: tool)
        let outcome = try await processes.run(command) { _, line in lines.append(line) }
        try Task.checkCancellation()
        guard outcome.succeeded else {
            throw ESXiBuildError.toolFailed(tool: tool, arguments: arguments, outcome: "\(outcome)", output: lines.text)
        }
    }
}
