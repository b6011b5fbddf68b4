import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing
import VSphereKit

/// vSphere builds end to end on the simulator profile, with real packer 1.6.6 (issue 5,
/// acceptance 2, 6 and 7).
@Suite(
    .enabled(
        if: (SimulatorFixture.available && Fixtures.hasTool("packer") && Fixtures.hasTool("qemu-img")
            && Fixtures.hasTool("make") && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI,
        "needs go, govmomi's source, packer, qemu-img, make"))
struct VSphereBuildTests {
    /// A repository copy with a simulator of its own and a packer that records, per run, the
    /// target VM, the SSH secret's hash and its environment's CA file, then runs the real one.
    static func setUp() async throws -> (root: String, simulator: SimulatorFixture, packer: String, record: String) {
        let root = try Fixtures.makeRepoCopy()
        let simulator = try await SimulatorFixture.start(in: root)
        let record = root + "/packer-runs.log"
        let packer = root + "/recording-packer"
        try Fixtures.write(
            """
            #!/bin/sh
            secret=$(printf '%s' "$IB_SSH_PASSWORD" | sha256sum | cut -c1-64)
            echo "only=$(printf '%s\\n' "$@" | grep '^-only=') secret=$secret cert=$SSL_CERT_FILE" >> "\(record)"
            exec /usr/bin/packer "$@"
            """, to: packer, mode: 0o755)
        return (root, simulator, packer, record)
    }

    func make(_ root: String, _ target: String, packer: String) async throws -> Captured {
        // Only `eval "$(image-builder sim env)"` points the build at the simulator.
        try await ProcessCapture.run(
            "/bin/sh",
            [
                "-c", "eval \"$(\"$IB_BIN\" sim env)\" && exec make --no-print-directory \"$1\" PACKER_BIN=\"$2\"",
                "sh", target, packer,
            ],
            environment: ["PATH": "/usr/bin:/bin", "HOME": root, "IB_BIN": Fixtures.binary, "IB_ROOT": root],
            workingDirectory: root)
    }

    @Test(.timeLimit(.minutes(10)))
    func baseThenCloneInSeparateMakeCalls() async throws {
        let (root, simulator, packer, record) = try await Self.setUp()
        defer { Task { await simulator.stop() } }

        let base = try await make(root, "build-node-ova-vsphere-base-ubuntu-2404", packer: packer)
        #expect(base.status == 0, "\(base.stdout.suffix(3000))\(base.stderr.suffix(1000))")
        let clone = try await make(root, "build-node-ova-vsphere-clone-ubuntu-2404", packer: packer)
        #expect(clone.status == 0, "\(clone.stdout.suffix(3000))\(clone.stderr.suffix(1000))")

        let client = try ClientOperationTests_client(simulator)
        let template = try await client.requireVM("base-ubuntu-2404")
        #expect(try await client.properties(of: template, ["config.template"])["config.template"]?.string == "true")
        #expect(try await client.snapshots(template).all.count == 1)
        let built = try #require(try await client.findVM("ubuntu-2404-kube-v1.36.1"))
        #expect(try await client.properties(of: built, ["name"])["name"]?.string == "ubuntu-2404-kube-v1.36.1")
        await client.logout()

        // Both packers ran, the clone's with the base's SSH secret, both trusting the simulator's CA.
        let runs = (Fixtures.read(record) ?? "").split(separator: "\n").map(String.init)
        #expect(runs.count == 2)
        let secrets = runs.compactMap { $0.split(separator: " ").first { $0.hasPrefix("secret=") } }
        #expect(secrets.count == 2 && secrets[0] == secrets[1] && secrets[0] != "secret=" + String(repeating: "0", count: 64))
        #expect(runs.allSatisfy { $0.hasSuffix("cert=\(simulator.caFile)") })
        #expect(runs[0].contains("-only=vsphere-iso-base") && runs[1].contains("-only=vsphere-clone"))

        // The artifacts are marked, and the plan says what the profile changes.
        // The export went straight into the OVA: no VMDK file, a verified OVA marked as simulator-built.
        let output = root + "/output/ubuntu-2404-kube-v1.36.1"
        #expect(FileReader.exists(output + "/SIMULATOR-BUILT"))
        #expect(FileReader.list(output)?.contains { $0.hasSuffix(".vmdk") } == false)
        let ova = output + "/ubuntu-2404-kube-v1.36.1.ova"
        let verify = try await ProcessCapture.run(Fixtures.binary, ["ova", "verify", ova], environment: ["IB_ROOT": root])
        #expect(verify.status == 0 && verify.stdout.contains(".ova.sha256 matches"), "\(verify.stderr)")
        #expect(Fixtures.read(output + "/ubuntu-2404-kube-v1.36.1.ovf")?.contains("built on the vCenter simulator") == true)
        #expect(clone.stdout.contains("simulator-built"))
        let plan = try await ProcessCapture.run(
            Fixtures.binary, ["plan", "node-ova-vsphere-clone-ubuntu-2404"],
            environment: ["IB_ROOT": root, "PACKER_VAR_FILES": simulator.varFile])
        #expect(plan.stdout.contains("simulator profile") && plan.stdout.contains("communicator none"))
        #expect(plan.stdout.contains("packer-node.simulator.json"))
        #expect(!(base.stdout + clone.stdout + base.stderr + clone.stderr).contains(simulator.password))
    }
}

/// A client on the test's simulator (VSphereKitTests has its own helper).
func ClientOperationTests_client(_ simulator: SimulatorFixture) throws -> VSphereClient {
    VSphereClient(
        host: simulator.host, username: simulator.username, password: simulator.password,
        transport: try AHCTransport(host: simulator.host, trust: .caFile(simulator.caFile)))
}

extension VSphereBuildTests {
    func build(_ root: String, _ simulator: SimulatorFixture, _ args: [String], packer: String) async throws -> Captured {
        try await ProcessCapture.run(
            Fixtures.binary, ["build"] + args,
            environment: [
                "PATH": "/usr/bin:/bin", "HOME": root, "IB_ROOT": root, "PACKER_VAR_FILES": simulator.varFile, "PACKER_BIN": packer,
            ], workingDirectory: root)
    }

    /// A packer wrapper that, when packer waits for the guest, runs `action` (with $PACKER_PID).
    static func interceptingPacker(_ root: String, name: String, action: String) throws -> String {
        let path = root + "/" + name
        try Fixtures.write(
            """
            #!/bin/sh
            fifo="$TMPDIR/packer-out"; rm -f "$fifo"; mkfifo "$fifo"
            /usr/bin/packer "$@" > "$fifo" 2>&1 &
            PACKER_PID=$!
            while IFS= read -r line; do
                printf '%s\\n' "$line"
                case "$line" in *"Please shutdown virtual machine"*) \(action) ;; esac
            done < "$fifo"
            wait $PACKER_PID
            """, to: path, mode: 0o755)
        return path
    }

    @Test(.timeLimit(.minutes(10)))
    func aTwoBuildRunLogsInOnceAndAMissingBaseIsExitTwo() async throws {
        let (root, simulator, packer, record) = try await Self.setUp()
        defer { Task { await simulator.stop() } }
        let run = try await build(
            root, simulator, ["node-ova-vsphere-base-ubuntu-2404", "node-ova-vsphere-base-ubuntu-2204", "-j", "2"], packer: packer)
        #expect(run.status == 0, "\(run.stdout.suffix(2000))")

        // vCenter's own event log: one login with this run's User-Agent for both builds.
        let client = try ClientOperationTests_client(simulator)
        let logins = try await client.loginEvents().filter { $0.userAgent.hasPrefix("image-builder/") }
        #expect(logins.count == 1, "\(logins)")
        for name in ["base-ubuntu-2404", "base-ubuntu-2204"] {
            let vm = try await client.requireVM(name)
            #expect(try await client.properties(of: vm, ["config.template"])["config.template"]?.string == "true")
        }

        // A clone whose base was never built: exit 2 naming the base's target; packer never starts.
        let runsBefore = Fixtures.read(record) ?? ""
        let clone = try await build(root, simulator, ["node-ova-vsphere-clone-rockylinux-9"], packer: packer)
        #expect(clone.status == 2, "\(clone.stderr)")
        #expect(
            clone.stderr.hasPrefix(
                "image-builder: error: build-node-ova-vsphere-clone-rockylinux-9: base template 'base-rockylinux-9' not found on \(simulator.host)\n")
        )
        #expect(clone.stderr.contains("hint: build it first: make build-node-ova-vsphere-base-rockylinux-9"))
        #expect((Fixtures.read(record) ?? "") == runsBefore)
        await client.logout()
    }

    @Test(.timeLimit(.minutes(10)))
    func aKilledPackersVMIsRemovedAndAnOlderVMIsNeverTouched() async throws {
        let (root, simulator, _, _) = try await Self.setUp()
        defer { Task { await simulator.stop() } }
        let killer = try Self.interceptingPacker(root, name: "killed-packer", action: "kill -9 $PACKER_PID")
        let client = try ClientOperationTests_client(simulator)

        let killed = try await build(root, simulator, ["node-ova-vsphere-base-ubuntu-2404"], packer: killer)
        #expect(killed.status == 1, "\(killed.stdout.suffix(2000))")
        #expect(try await client.findVM("base-ubuntu-2404") == nil, "\(killed.stdout.suffix(2000))")
        let log = Fixtures.read(root + "/output/logs/node-ova-vsphere-base-ubuntu-2404.log") ?? ""
        #expect(log.contains("base-ubuntu-2404: removed (packer left it behind)"), "\(log.suffix(1500))")

        // A VM of that name that was there before the run: packer refuses it, nobody touches it.
        let source = try await client.requireVM("DC0_C0_RP0_VM0")
        try await client.powerOff(source)
        let older = try await client.clone(source, as: "base-ubuntu-2204")
        let refused = try await build(root, simulator, ["node-ova-vsphere-base-ubuntu-2204"], packer: killer)
        #expect(refused.status == 1)
        #expect(try await client.findVM("base-ubuntu-2204") == older)
        #expect(try await client.properties(of: older, ["config.template"])["config.template"]?.string == "false")
        await client.logout()
    }

    @Test(.timeLimit(.minutes(10)))
    func vCenterLostMidRunIsNamedByEveryBuild() async throws {
        let (root, simulator, _, _) = try await Self.setUp()
        let pid = try #require(
            Fixtures.read(root + "/output/sim/run/endpoint.json")?.split(separator: "\"pid\":").last?
                .prefix { $0 == " " || $0.isNumber }.trimmingCharacters(in: .whitespaces))
        // Both packers reach the wait for the guest; the first to get there stops the simulator.
        let stopper = try Self.interceptingPacker(root, name: "stopping-packer", action: "kill -9 \(pid) 2>/dev/null; true")
        let run = try await build(
            root, simulator, ["node-ova-vsphere-base-ubuntu-2404", "node-ova-vsphere-base-ubuntu-2204", "-j", "2"], packer: stopper)
        await simulator.stop()
        #expect(run.status == 1)
        let summary = run.stdout.split(separator: "\n").filter { $0.contains("is unreachable") }
        #expect(summary.count == 2, "\(run.stdout.suffix(2500))")
        #expect(summary.allSatisfy { $0.contains("vCenter \(simulator.host)") })
    }
}
