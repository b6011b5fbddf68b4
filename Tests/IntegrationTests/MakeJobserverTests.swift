import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// Acceptance 2 (issue 4), through real GNU make with a recording stand-in for packer.
@Suite(
    .serialized,
    .enabled(
        if: (FileReader.isExecutable(Fixtures.binary) && Fixtures.hasTool("make") && Fixtures.hasTool("flock"))
            || Fixtures.isCI, "needs the built CLI, make and flock"))
struct MakeJobserverTests {
    /// A stand-in packer: counts how many run at once (under flock), records start and end with
    /// the builder, the OS file and a digest of the SSH password it was given.
    static func recorder(in dir: String, seconds: String) throws -> String {
        let path = dir + "/packer"
        try Fixtures.write(
            """
            #!/bin/sh
            d='\(dir)'
            os=$(printf '%s\\n' "$@" | sed -n 's#.*/images/\\(.*\\)\\.json$#\\1#p')
            only=$(printf '%s\\n' "$@" | sed -n 's#^-only=##p')
            pw=$(printf '%s' "$IB_SSH_PASSWORD" | sha256sum | cut -c1-16)
            ( flock 9; n=$(cat "$d/running" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "$d/running"; echo $n >> "$d/samples"
              echo "start $only $os $(date +%s.%N) $pw" >> "$d/events" ) 9>"$d/lock"
            # A base waits for the test's go-ahead (so a clone started meanwhile must wait for it).
            if [ "$only" = vmware-iso-base ] && [ -n "${GATE:-}" ]; then while [ ! -f "$d/go" ]; do sleep 0.1; done; fi
            sleep \(seconds)
            ( flock 9; n=$(cat "$d/running"); echo $((n - 1)) > "$d/running"
              echo "end $only $os $(date +%s.%N) $pw" >> "$d/events" ) 9>"$d/lock"
            """, to: path, mode: 0o755)
        return path
    }

    func make(_ args: [String], root: String, env: [String: String]) async throws -> Captured {
        var environment = ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "IB_BIN": Fixtures.binary]
        environment.merge(env) { $1 }
        return try await ProcessCapture.run("make", ["--no-print-directory", "-C", root] + args, environment: environment)
    }

    @Test func makeJ2NeverRunsMoreThanTwoPackersAcrossTwoTargets() async throws {
        let root = try Fixtures.makeRepoCopy()
        let dir = try Fixtures.makeTemporaryDirectory("ib-jobs")
        let packer = try Self.recorder(in: dir, seconds: "1.5")
        // RHEL's DVD is not public: a small local file stands in (through make's VAR_FILES_<os>).
        try Fixtures.write("not a DVD", to: dir + "/rhel.iso")
        try Fixtures.write("{\"iso_url\": \"file://\(dir)/rhel.iso\"}", to: dir + "/rhel.json")
        let r = try await make(
            [
                "-j2", "build-node-ova-local-base-all", "build-node-ova-local-vmx-all", "PACKER_BIN=\(packer)",
                "VAR_FILES_rhel-9=\(dir)/rhel.json",
            ], root: root, env: [:])
        #expect(r.status == 0, "\(r.stderr.suffix(3000))")
        let samples = (Fixtures.read(dir + "/samples") ?? "").split(separator: "\n").compactMap { Int($0) }
        #expect(samples.count == 26)
        #expect(samples.max() == 2, "never more than make -j2 allows, and both slots used")
    }

    @Test func aCloneInAnotherMakeWaitsForItsBaseAndGetsItsSecret() async throws {
        let root = try Fixtures.makeRepoCopy()
        let dir = try Fixtures.makeTemporaryDirectory("ib-base")
        let packer = try Self.recorder(in: dir, seconds: "0.5")
        async let base = make(["build-node-ova-local-base-ubuntu-2404", "PACKER_BIN=\(packer)"], root: root, env: ["GATE": "1"])
        for _ in 0..<400 where !(Fixtures.read(dir + "/events") ?? "").contains("start") { try await Task.sleep(for: .milliseconds(25)) }
        async let cloneRun = make(["build-node-ova-local-vmx-ubuntu-2404", "PACKER_BIN=\(packer)"], root: root, env: [:])
        // Let the base finish only once the clone's image-builder is up and waiting for it.
        for _ in 0..<400 where Fixtures.processes(mentioning: "build build-node-ova-local-vmx-ubuntu-2404").isEmpty {
            try await Task.sleep(for: .milliseconds(25))
        }
        try await Task.sleep(for: .seconds(1))
        try Fixtures.write("", to: dir + "/go")
        let clone = try await cloneRun
        let baseResult = try await base
        #expect(baseResult.status == 0 && clone.status == 0, "\(clone.stderr.suffix(2000))")
        #expect(clone.stderr.contains("waiting: its base is being built"))
        let events = (Fixtures.read(dir + "/events") ?? "").split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        let baseEnd = try #require(events.first { $0[0] == "end" && $0[1] == "vmware-iso-base" })
        let cloneStart = try #require(events.first { $0[0] == "start" && $0[1] == "vmware-vmx" })
        #expect(Double(cloneStart[3])! >= Double(baseEnd[3])!, "the clone started after its base ended")
        #expect(cloneStart[4] == baseEnd[4], "the clone got the base's SSH secret")
    }
}
