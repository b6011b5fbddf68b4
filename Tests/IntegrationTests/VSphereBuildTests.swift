import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing
import VSphereKit

/// vSphere builds end to end on the simulator profile, with real packer 1.6.6 (issue 5,
/// acceptance 2, 6 and 7).
@Suite(.enabled(if: (SimulatorFixture.available && Fixtures.hasTool("packer") && Fixtures.hasTool("qemu-img")
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
        try Fixtures.write("""
            #!/bin/sh
            secret=$(printf '%s' "$IB_SSH_PASSWORD" | sha256sum | cut -c1-64)
            echo "only=$(printf '%s\\n' "$@" | grep '^-only=') secret=$secret cert=$SSL_CERT_FILE" >> "\(record)"
            exec /usr/bin/packer "$@"
            """, to: packer, mode: 0o755)
        return (root, simulator, packer, record)
    }

    func make(_ root: String, _ target: String, packer: String) async throws -> Captured {
        // Only `eval "$(image-builder sim env)"` points the build at the simulator.
        try await ProcessCapture.run("/bin/sh", ["-c", "eval \"$(\"$IB_BIN\" sim env)\" && exec make --no-print-directory \"$1\" PACKER_BIN=\"$2\"",
                                                 "sh", target, packer],
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
        let output = root + "/output/ubuntu-2404-kube-v1.36.1"
        #expect(FileReader.exists(output + "/SIMULATOR-BUILT"))
        #expect(FileReader.list(output)?.contains { $0.hasSuffix(".vmdk") } == true)
        #expect(clone.stdout.contains("simulator-built"))
        let plan = try await ProcessCapture.run(Fixtures.binary, ["plan", "node-ova-vsphere-clone-ubuntu-2404"],
                                                environment: ["IB_ROOT": root, "PACKER_VAR_FILES": simulator.varFile])
        #expect(plan.stdout.contains("simulator profile") && plan.stdout.contains("communicator none"))
        #expect(plan.stdout.contains("packer-node.simulator.json"))
        #expect(!(base.stdout + clone.stdout + base.stderr + clone.stderr).contains(simulator.password))
    }
}

/// A client on the test's simulator (VSphereKitTests has its own helper).
func ClientOperationTests_client(_ simulator: SimulatorFixture) throws -> VSphereClient {
    VSphereClient(host: simulator.host, username: simulator.username, password: simulator.password,
                  transport: try AHCTransport(host: simulator.host, trust: .caFile(simulator.caFile)))
}
