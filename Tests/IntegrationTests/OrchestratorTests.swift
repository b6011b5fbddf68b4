import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 4 with real packer 1.6.6 and the test template (null builders, shell-local steps).
// Serialized: each test runs several packers at once, and timing assertions need the cores.
@Suite(
    .serialized,
    .enabled(
        if: (Fixtures.hasTool("packer") && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI,
        "needs packer and the built CLI"))
struct OrchestratorTests {
    func build(_ args: [String], root: String, work: String, env: [String: String] = [:]) async throws -> Captured {
        var environment = ["IB_ROOT": root, "PATH": "/usr/bin:/bin", "HOME": work, "SSH_PASSWORD": "Ssh-Secret-Value-9"]
        environment.merge(env) { $1 }
        return try await ProcessCapture.run(Fixtures.binary, ["build"] + args, environment: environment, workingDirectory: work)
    }

    /// Acceptance 1: builds run at once (their time windows overlap), each writing only inside
    /// its own work directory.
    @Test func buildsRunConcurrentlyEachInItsOwnWorkDirectory() async throws {
        // 10 s per build: starting 13 packers on 2 busy cores can take several seconds.
        let t = try Fixtures.makeOrchestratorRoot(sleep: 10)
        try Fixtures.write("", to: t.root + "/.setup-done")
        let r = try await build(
            ["build-node-ova-local-base-all", "-j", "13"], root: t.root, work: t.work, env: ["PACKER_VAR_FILES": t.varFile, "IB_KEEP_WORK": "1"])
        #expect(r.status == 0, "\(r.stderr.suffix(3000))")
        let events = Fixtures.events(t.events)
        let starts = events.filter { $0.kind == "start" }
        let ends = events.filter { $0.kind == "end" }
        #expect(starts.count == 13 && ends.count == 13)
        #expect((starts.map(\.time).max() ?? 0) < (ends.map(\.time).min() ?? 0), "every build started before any ended")
        let workDirs = (FileReader.list(t.root + "/output/.work") ?? []).sorted()
        #expect(workDirs.count == 13)
        for dir in workDirs {
            #expect(Fixtures.read(t.root + "/output/.work/\(dir)/marker") == "work-dir-marker\n")
        }
        // Nothing was written into the tree outside output/.
        let changed = try await ProcessCapture.run(
            "sh", ["-c", "cd '\(t.root)' && find . -newer .setup-done -type f -not -path './output/*' | wc -l"])
        #expect(changed.stdout.trimmingCharacters() == "0")
        #expect(r.stdout.contains("build-node-ova-local-base-ubuntu-2404") && r.stdout.contains("succeeded"))
    }

    /// Acceptance 3: --keep-going lets the others finish; summary and JSON report name the
    /// failure with its exit code and log; exit 1.
    @Test func keepGoingReportsTheFailureAndExitsOne() async throws {
        let t = try Fixtures.makeOrchestratorRoot(sleep: 0)
        try Fixtures.write("{\"test_fail\": \"true\"}", to: t.work + "/fail.json")
        let r = try await build(
            [
                "build-node-ova-local-base-all", "--keep-going", "--report", "report.json",
                "--var-file", "ubuntu-2404=fail.json", "-j", "3",
            ],
            root: t.root, work: t.work, env: ["PACKER_VAR_FILES": t.varFile])
        #expect(r.status == 1)
        let report = try JSONParser.parse(try #require(Fixtures.read(t.work + "/report.json")))
        let builds = try #require(report["builds"]?.arrayValue)
        #expect(builds.count == 13)
        let failed = builds.filter { $0["result"] == .string("failed") }
        #expect(failed.count == 1)
        #expect(failed.first?["target"] == .string("build-node-ova-local-base-ubuntu-2404"))
        #expect(failed.first?["exitCode"] == .number("1"))
        let log = try #require(failed.first?["logFile"]?.stringValue)
        #expect(Fixtures.read(log)?.contains("failing on purpose") == true)
        #expect(builds.filter { $0["result"] == .string("succeeded") }.count == 12)
        #expect(report["exitCode"] == .number("1"))
        #expect(r.stdout.contains("build-node-ova-local-base-ubuntu-2404") && r.stdout.contains("failed"))
    }

    /// Acceptance 3: --fail-fast cancels the rest cleanly (packer cancels, no process left).
    @Test func failFastCancelsTheRest() async throws {
        // The others sleep 15 minutes: cancelled, the run ends long before (about 1 s alone; a
        // loaded CI machine took 47 s to start packer, fail one build and stop the rest).
        let t = try Fixtures.makeOrchestratorRoot(sleep: 900)
        try Fixtures.write("{\"test_fail\": \"true\", \"test_sleep\": \"0\"}", to: t.work + "/fail.json")
        let clock = ContinuousClock()
        let start = clock.now
        let r = try await build(
            [
                "build-node-ova-local-all", "--fail-fast", "-j", "3", "--report", "report.json",
                "--var-file", "almalinux-9=fail.json",
            ],
            root: t.root, work: t.work, env: ["PACKER_VAR_FILES": t.varFile])
        #expect(r.status == 1)
        #expect(clock.now - start < .seconds(450), "the sleeping builds were cancelled, not waited for")
        let reportText = try #require(Fixtures.read(t.work + "/report.json"))
        let builds = try JSONParser.parse(reportText)["builds"]?.arrayValue ?? []
        let results = builds.compactMap { $0["result"]?.stringValue }
        #expect(results.first == "failed")
        #expect(results.filter { $0 == "cancelled" }.count == 2)
        #expect(results.filter { $0 == "not started" }.count == 11)
        #expect(Fixtures.processes(mentioning: t.root).isEmpty)
    }

    /// Acceptance 4: SIGINT or SIGTERM during a run: packer cleans up, nothing is left, exit 130.
    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalStopsEveryBuild(signalNumber: Int32) async throws {
        let t = try Fixtures.makeOrchestratorRoot(sleep: 30)
        async let run = build(["build-node-ova-local-all", "-j", "4"], root: t.root, work: t.work, env: ["PACKER_VAR_FILES": t.varFile])
        for _ in 0..<300 where Fixtures.events(t.events).count < 4 { try await Task.sleep(for: .milliseconds(50)) }
        // image-builder is the parent of the packers (their argv names the test root).
        let packers = Fixtures.processes(mentioning: t.root).compactMap { Int32($0.split(separator: " ")[0]) }
        let pid = try #require(packers.compactMap(Fixtures.parentPID).first { Fixtures.commandLine($0)?.contains(Fixtures.binary) == true })
        #expect(kill(pid, signalNumber) == 0)
        let r = try await run
        #expect(r.status == 130, "\(r.stderr.suffix(2000))")
        #expect(Fixtures.processes(mentioning: t.root).isEmpty)
        let logs = (FileReader.list(t.root + "/output/logs") ?? []).compactMap { Fixtures.read(t.root + "/output/logs/" + $0) }
        #expect(logs.contains { $0.contains("Cancelling build after receiving") }, "packer's own cleanup ran")
        #expect(r.stdout.contains("cancelled"))
    }

    /// Acceptance 6: with -machine-readable (which prints sensitive values in clear) and a step
    /// that echoes the secret, the secret is in no shown line, no log, and no packer argv.
    @Test func secretsAreRedactedEverywhere() async throws {
        let t = try Fixtures.makeOrchestratorRoot(sleep: 0)
        try Fixtures.write("{\"test_echo_secret\": \"true\"}", to: t.work + "/echo.json")
        let argvLog = t.work + "/argv"
        try Fixtures.write("#!/bin/sh\nprintf '%s\\n' \"$*\" >> '\(argvLog)'\nexec packer \"$@\"\n", to: t.work + "/packer-wrapper", mode: 0o755)
        let r = try await build(
            [
                "node-ova-local-ubuntu-2204", "node-ova-local-photon-5", "--var-file", "ubuntu-2204=echo.json",
                "--var-file", "photon-5=echo.json",
            ],
            root: t.root, work: t.work,
            env: ["PACKER_VAR_FILES": t.varFile, "PACKER_FLAGS": "-machine-readable", "PACKER_BIN": t.work + "/packer-wrapper"])
        #expect(r.status == 0, "\(r.stderr.suffix(2000))")
        let secret = "Ssh-Secret-Value-9"
        let base64 = "U3NoLVNlY3JldC1WYWx1ZS05"
        #expect(r.stderr.contains("secret is <redacted>") || r.stderr.contains("secret is <sensitive>"))
        #expect(r.stderr.contains("env secret is <redacted>"))
        for text in [r.stdout, r.stderr, Fixtures.read(argvLog) ?? ""]
            + (FileReader.list(t.root + "/output/logs") ?? []).compactMap({ Fixtures.read(t.root + "/output/logs/" + $0) })
        {
            #expect(!text.contains(secret) && !text.contains(base64))
        }
        #expect(Fixtures.read(argvLog)?.contains("-machine-readable") == true)
    }
}
