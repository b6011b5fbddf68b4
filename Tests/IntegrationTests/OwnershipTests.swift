import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 12, items 1, 2, 4 and 5, with real packer 1.6.6 and the test template: one run per
/// target at a time, clean never under a running build, a half-built base never used, and a
/// clone started just after its base waits for it.
@Suite(
    .serialized,
    .enabled(if: (Fixtures.hasTool("packer") && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI, "needs packer and the built CLI"))
struct OwnershipTests {
    struct Setup {
        let root: String
        let work: String
        let events: String
        let env: [String: String]
        /// Builds wait in their provisioner until this file exists.
        var gate: String { work + "/gate" }
        func open() throws { try Fixtures.write("", to: gate) }
    }

    /// A test root whose builds hold in packer until the test opens the gate (timing-free under
    /// a loaded machine).
    static func setUp() throws -> Setup {
        let t = try Fixtures.makeOrchestratorRoot(sleep: 0)
        try Fixtures.write("{\"test_gate\": \"\(t.work)/gate\"}", to: t.work + "/gate.json")
        let env = ["IB_ROOT": t.root, "PATH": "/usr/bin:/bin", "HOME": t.work, "PACKER_VAR_FILES": t.varFile + " " + t.work + "/gate.json"]
        return Setup(root: t.root, work: t.work, events: t.events, env: env)
    }

    /// Runs `image-builder args`; its pid goes to `pidFile` (the shell execs it).
    static func run(_ s: Setup, _ args: [String], pidFile: String? = nil) async throws -> Captured {
        let script = "echo $$ > \"$PIDFILE\"; exec \"$0\" \"$@\""
        var env = s.env
        env["PIDFILE"] = pidFile ?? "/dev/null"
        return try await ProcessCapture.run("/bin/sh", ["-c", script, Fixtures.binary] + args, environment: env, workingDirectory: s.work)
    }

    /// Waits until the events file has `count` starts.
    static func waitForStarts(_ s: Setup, _ count: Int = 1) async throws {
        for _ in 0..<3000 where Fixtures.events(s.events).filter({ $0.kind == "start" }).count < count {
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test("a second run of a target being built is refused, naming the run that holds it")
    func aSecondRunOfTheSameTargetIsRefused() async throws {
        let s = try Self.setUp()
        async let first = Self.run(s, ["build", "node-ova-local-ubuntu-2404"], pidFile: s.work + "/first.pid")
        try await Self.waitForStarts(s)
        let second = try await Self.run(s, ["build", "node-ova-local-ubuntu-2404"])
        try s.open()
        let pid = (Fixtures.read(s.work + "/first.pid") ?? "").trimmingCharacters()
        #expect(second.status == 2)
        #expect(second.stderr.contains("build-node-ova-local-ubuntu-2404 is being built by another run (pid \(pid), run "), "\(second.stderr)")
        #expect(try await first.status == 0)
        #expect(Fixtures.events(s.events).filter { $0.kind == "start" }.count == 1, "the second run started no packer")
    }

    @Test("clean refuses a target whose build is running, and removes nothing of it")
    func cleanRefusesARunningBuild() async throws {
        let s = try Self.setUp()
        async let build = Self.run(s, ["build", "node-ova-local-ubuntu-2404"])
        try await Self.waitForStarts(s)
        let work = try #require(FileReader.list(s.root + "/output/.work")?.first)
        let clean = try await Self.run(s, ["clean", "node-ova-local-ubuntu-2404"])
        #expect(clean.status == 2)
        #expect(clean.stderr.contains("is being built by another run"), "\(clean.stderr)")
        #expect(FileReader.exists(s.root + "/output/.work/" + work + "/marker"))
        try s.open()
        #expect(try await build.status == 0)
        #expect(try await Self.run(s, ["clean", "node-ova-local-ubuntu-2404"]).status == 0, "once it ended, clean goes ahead")
    }

    @Test("a base killed mid-build is not used: its clone is refused naming the base target")
    func aHalfBuiltBaseIsNotUsed() async throws {
        let s = try Self.setUp()
        let pidFile = s.work + "/base.pid"
        let base = Task { try await Self.run(s, ["build", "node-ova-local-base-ubuntu-2404"], pidFile: pidFile) }
        try await Self.waitForStarts(s)
        let pid = try #require(Int32((Fixtures.read(pidFile) ?? "").trimmingCharacters()))
        kill(pid, SIGKILL)
        _ = try await base.value
        // The leftover base has its secret but no completion marker.
        #expect(FileReader.exists(s.root + "/output/base-ubuntu-2404/ssh-secret"))
        let clone = try await Self.run(s, ["build", "node-ova-local-vmx-ubuntu-2404"])
        #expect(clone.status == 2)
        #expect(clone.stderr.contains("build-node-ova-local-vmx-ubuntu-2404: its base has not completed"), "\(clone.stderr)")
        #expect(clone.stderr.contains("build it first: make build-node-ova-local-base-ubuntu-2404"))
        // The killed run's packer is an orphan waiting at the gate: let it end.
        try s.open()
    }

    @Test("a clone started 0.3 s after its base, in another process, waits for it")
    func aCloneJustAfterItsBaseWaits() async throws {
        let s = try Self.setUp()
        async let base = Self.run(s, ["build", "node-ova-local-base-ubuntu-2404"])
        try await Task.sleep(for: .milliseconds(300))
        async let clone = Self.run(s, ["build", "node-ova-local-vmx-ubuntu-2404"])
        // The base holds in packer until the clone's process has come up and is waiting.
        try await Self.waitForStarts(s)
        for _ in 0..<600 where Fixtures.processes(mentioning: "build node-ova-local-vmx-ubuntu-2404").isEmpty {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .seconds(1))
        try s.open()
        #expect(try await base.status == 0)
        let cloned = try await clone
        #expect(cloned.status == 0, "\(cloned.stderr.suffix(1500))")
        #expect(cloned.stderr.contains("waiting: its base is being built"))
        let events = Fixtures.events(s.events)
        let baseEnd = try #require(events.first { $0.kind == "end" && $0.builder == "vmware-iso-base" })
        let cloneStart = try #require(events.first { $0.kind == "start" && $0.builder == "vmware-vmx" })
        #expect(cloneStart.time >= baseEnd.time)
    }
}
