import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing
import VSphereKit

/// `image-builder vsphere …` against a simulator the test starts, connection from its var file.
@Suite(
    .enabled(
        if: (SimulatorFixture.available && Fixtures.hasTool("qemu-img") && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI,
        "needs go, govmomi's source, qemu-img"))
struct VSphereCommandTests {
    func ib(_ simulator: SimulatorFixture, _ args: [String], varFile: String? = nil, environment: [String: String] = [:]) async throws -> Captured {
        try await ProcessCapture.run(
            Fixtures.binary, ["vsphere"] + args + ["--var-file", varFile ?? simulator.varFile],
            environment: ["IB_ROOT": Fixtures.repoRoot, "PATH": "/usr/bin:/bin", "HOME": simulator.root]
                .merging(environment) { $1 })
    }

    @Test(.timeLimit(.minutes(10)))
    func inventorySnapshotsClonesTemplatesCloudInitAndDestroy() async throws {
        let simulator = try await SimulatorFixture.start()
        defer { Task { await simulator.stop() } }
        var all = ""
        func run(_ args: [String]) async throws -> Captured {
            let result = try await ib(simulator, args)
            all += result.stdout + result.stderr
            return result
        }

        let ls = try await run(["ls"])
        #expect(ls.status == 0, "\(ls.stderr)")
        #expect(ls.stdout.contains("DC0_C0_RP0_VM0\t") && ls.stdout.contains("\tpoweredOn\t0 snapshots"))

        #expect(try await run(["snapshot", "DC0_C0_RP0_VM0", "base"]).status == 0)
        let list = try await run(["snapshot", "DC0_C0_RP0_VM0", "--list"])
        #expect(list.stdout == "base\t(current)\n")
        let clone = try await run(["clone", "DC0_C0_RP0_VM0", "node-1", "--linked"])
        #expect(clone.status == 0 && clone.stdout.contains("linked clone of DC0_C0_RP0_VM0"), "\(clone.stderr)")
        #expect(try await run(["template", "node-1"]).status == 0)
        #expect(try await run(["ls", "node-"]).stdout.contains("node-1\t"))
        #expect(try await run(["ls", "node-"]).stdout.contains("\ttemplate\t"))

        // cloud-init data through guestinfo, twice: the second run starts again from `new`.
        let data = try Fixtures.makeTemporaryDirectory("ib-ci")
        let userData = "#cloud-config\nusers: [{name: \"a&b<c>\"}]\n"
        try Fixtures.write(userData, to: data + "/user-data")
        try Fixtures.write("instance-id: x\n", to: data + "/meta-data")
        for _ in 0..<2 {
            let ci = try await run(["cloudinit", "DC0_C0_RP0_VM1", "--user-data", data + "/user-data", "--meta-data", data + "/meta-data"])
            #expect(ci.status == 0, "\(ci.stderr)")
        }
        let client = VSphereClient(
            host: simulator.host, username: simulator.username, password: simulator.password,
            transport: try AHCTransport(host: simulator.host, trust: .caFile(simulator.caFile)))
        let vm1 = try await client.requireVM("DC0_C0_RP0_VM1")
        let config = try await client.extraConfig(vm1)
        #expect(config["guestinfo.userdata"].flatMap { Data(base64Encoded: $0) } == Data(userData.utf8))
        #expect(config["guestinfo.userdata.encoding"] == "base64" && config["guestinfo.metadata.encoding"] == "base64")
        #expect(try await client.snapshots(vm1).all.map(\.path) == [["new"], ["new", "cloudinit"], ["new", "cloudinit"]])
        await client.logout()

        // Destroy: a missing VM is exit 2 naming it; a running one needs --force on a real vCenter.
        let missing = try await run(["destroy", "no-such-vm"])
        #expect(missing.status == 2 && missing.stderr.contains("no-such-vm"))
        #expect(try await run(["destroy", "node-1"]).status == 0)
        #expect(try await run(["destroy", "--force", "DC0_C0_RP0_VM1"]).status == 0)
        #expect(!(try await run(["ls"]).stdout.contains("node-1")))
        #expect(!all.contains(simulator.password))
    }

    @Test(.timeLimit(.minutes(10)))
    func deployPublishExportAndConnectionErrors() async throws {
        let ova = try await Fixtures.makeOVA()
        let simulator = try await SimulatorFixture.start()
        defer { Task { await simulator.stop() } }

        let deploy = try await ib(simulator, ["deploy", ova, "node-a", "--power-on"])
        #expect(deploy.status == 0 && deploy.stdout.contains("node-a ("), "\(deploy.stderr)")
        let publish = try await ib(simulator, ["publish", ova, "--library", "ib"])
        #expect(publish.status == 0 && publish.stdout.contains("node: published to library ib"), "\(publish.stderr)")
        let fromLibrary = try await ib(simulator, ["deploy", "node", "node-b", "--library", "ib"])
        #expect(fromLibrary.status == 0, "\(fromLibrary.stderr)")
        let ls = try await ib(simulator, ["ls", "node-"])
        #expect(ls.stdout.contains("node-a\t") && ls.stdout.contains("\tpoweredOn\t") && ls.stdout.contains("node-b\t"))

        let folder = try Fixtures.makeTemporaryDirectory("ib-exported")
        let export = try await ib(simulator, ["export", "node-a", folder])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(FileReader.list(folder)?.contains { $0.hasSuffix(".vmdk") } == true)

        // Insecure: one warning. A var file with the simulator marker but another host: exit 2.
        let vars = try #require(Fixtures.read(simulator.varFile))
        let insecureFile = simulator.root + "/insecure.json"
        try Fixtures.write(
            vars.replacingOccurrences(of: "\"insecure_connection\": \"false\"", with: "\"insecure_connection\": \"true\""), to: insecureFile,
            mode: 0o600)
        let insecure = try await ib(simulator, ["ls"], varFile: insecureFile)
        #expect(insecure.status == 0)
        #expect(insecure.stderr.components(separatedBy: "warning: insecure_connection is true").count == 2)
        let remote = simulator.root + "/remote.json"
        try Fixtures.write(vars.replacingOccurrences(of: "127.0.0.1:", with: "10.0.0.1:"), to: remote, mode: 0o600)
        let refused = try await ib(simulator, ["ls"], varFile: remote)
        #expect(refused.status == 2 && refused.stderr.contains("ib_profile 'simulator' needs vcenter_server on 127.0.0.1"))
        #expect(refused.stderr.split(separator: "\n").first?.contains("10.0.0.1") == true)

        // The system roots do not trust the simulator: exit 3, saying so.
        let noCA = simulator.root + "/no-ca.json"
        try Fixtures.write(vars.replacingOccurrences(of: "\"ib_ca_file\"", with: "\"unused_ca_file\""), to: noCA, mode: 0o600)
        let untrusted = try await ib(simulator, ["ls"], varFile: noCA)
        #expect(untrusted.status == 3 && untrusted.stderr.contains("certificate not trusted"), "\(untrusted.stderr)")
        await simulator.stop()
        let down = try await ib(simulator, ["ls"])
        #expect(down.status == 3 && down.stderr.contains(simulator.host) && down.stderr.contains("unreachable"))
    }

    @Test("exporting a VM that does not exist creates nothing (issue 12, item 13)", .timeLimit(.minutes(10)))
    func exportOfAMissingVMCreatesNothing() async throws {
        let simulator = try await SimulatorFixture.start()
        defer { Task { await simulator.stop() } }
        let out = try Fixtures.makeTemporaryDirectory("ib-export-none") + "/disks"
        let run = try await ib(simulator, ["export", "no-such-vm", out])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("no-such-vm"))
        #expect(!FileReader.exists(out))
    }
}
