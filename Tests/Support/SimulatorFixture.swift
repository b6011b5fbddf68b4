import ImageBuilderKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// A simulator of the test's own (`hack/vcsim`, govmomi's VPX model) on 127.0.0.1 with its CA:
/// each test gets a fresh inventory. The binary is built once per test process.
package struct SimulatorFixture: Sendable {
    package let root: String
    package let host: String
    package let username: String
    package let password: String
    package let caFile: String
    package var varFile: String { root + "/output/sim/vsphere.json" }

    /// Whether the simulator can be built here (CI installs what it needs).
    package static var available: Bool {
        (Fixtures.hasTool("go") && FileReader.isDirectory("/usr/share/gocode/src/github.com/vmware/govmomi")) || Fixtures.isCI
    }

    private static let shared = Task<String, any Error> {
        let root = try Fixtures.makeTemporaryDirectory("ib-vcsim-build")
        try FileManager.default.createDirectory(atPath: root + "/hack", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.repoRoot + "/hack/vcsim", toPath: root + "/hack/vcsim")
        let environment = RunEnvironment(variables: ["IB_GOCACHE": Fixtures.repoRoot + "/.build-tools/gocache"], workingDirectory: root)
        let simulator = Simulator(layout: RepoLayout(root: root), environment: environment)
        try await simulator.build()
        return simulator.binary
    }

    /// Puts the built simulator where `image-builder sim start` in `root` finds it (newer than a
    /// repository copy's hack/vcsim source, so it is not built again).
    package static func install(in root: String) async throws {
        let binary = try await shared.value
        try FileManager.default.createDirectory(atPath: root + "/output/sim", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: binary, toPath: root + "/output/sim/vcsim")
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: root + "/output/sim/vcsim")
    }

    /// Starts a fresh simulator in a new scratch root, or in `root` (a repository copy: then
    /// `image-builder sim env` there points builds at it).
    package static func start(in existing: String? = nil) async throws -> SimulatorFixture {
        let root = try existing ?? Fixtures.makeTemporaryDirectory("ib-sim")
        try await install(in: root)
        let simulator = Simulator(layout: RepoLayout(root: root), environment: RunEnvironment(variables: [:], workingDirectory: root))
        let endpoint = try await simulator.start()
        SuiteCaptures.registerSecrets([endpoint.password.value])
        // A watchdog stops the simulator if the test process ends without stopping it (a crash,
        // a cancelled test): simulators never outlive the suite.
        _ = try await ProcessCapture.run(
            "/usr/bin/setsid",
            [
                "-f", "/bin/sh", "-c",
                "while kill -0 \"$1\" 2>/dev/null && kill -0 \"$2\" 2>/dev/null; do sleep 1; done; kill \"$2\" 2>/dev/null",
                "watchdog", String(getpid()), String(endpoint.pid),
            ], environment: ["PATH": "/usr/bin:/bin"])
        return SimulatorFixture(
            root: root, host: endpoint.host, username: endpoint.username,
            password: endpoint.password.value, caFile: endpoint.caFile)
    }

    /// Stops it (also when it was stopped already).
    package func stop() async {
        let simulator = Simulator(layout: RepoLayout(root: root), environment: RunEnvironment(variables: [:], workingDirectory: root))
        _ = try? await simulator.stop()
    }
}
