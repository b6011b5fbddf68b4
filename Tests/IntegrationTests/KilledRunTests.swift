import ImageBuilderKit
import ImageBuilderTestSupport
import Testing
import VSphereKit

/// Issue 12, acceptance 2, with real packer 1.6.6 on the simulator: a run killed outright
/// (kill -9, no chance to clean up) leaves its VM; the next run of the target removes it by the
/// id its ledger recorded, says so, and builds.
@Suite(
    .enabled(
        if: (SimulatorFixture.available && Fixtures.hasTool("packer") && Fixtures.hasTool("qemu-img")
            && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI,
        "needs go, govmomi's source, packer, qemu-img"))
struct KilledRunTests {
    @Test(.timeLimit(.minutes(10)))
    func theNextRunRemovesWhatAKilledRunLeft() async throws {
        let (root, simulator, packer, _) = try await VSphereBuildTests.setUp()
        defer { Task { await simulator.stop() } }
        // When packer waits for the guest, the orchestrator (the wrapper's parent) and packer die.
        let killer = try VSphereBuildTests.interceptingPacker(root, name: "kill-all", action: "kill -9 $PPID; kill -9 $PACKER_PID")
        let build = VSphereBuildTests()
        let killed = try await build.build(root, simulator, ["node-ova-vsphere-base-ubuntu-2404"], packer: killer)
        #expect(killed.status == 137 || killed.status == -9 || killed.status == 9, "killed outright: \(killed.status)")
        let client = try ClientOperationTests_client(simulator)
        let left = try #require(try await client.findVM("base-ubuntu-2404"), "the killed run left its VM")
        #expect(!(FileReader.list(root + "/output/.runs") ?? []).isEmpty, "and its ledger entry")

        let again = try await build.build(root, simulator, ["node-ova-vsphere-base-ubuntu-2404"], packer: packer)
        #expect(again.status == 0, "\(again.stdout.suffix(2500))")
        let log = Fixtures.read(root + "/output/logs/node-ova-vsphere-base-ubuntu-2404.log") ?? ""
        #expect(log.contains("base-ubuntu-2404: removed (left behind by run "), "\(log.suffix(1500))")
        #expect(log.contains("id \(left.value)"))
        let now = try await client.requireVM("base-ubuntu-2404")
        #expect(now != left)
        #expect(try await client.properties(of: now, ["config.template"])["config.template"]?.string == "true")
        #expect((FileReader.list(root + "/output/.runs") ?? []).isEmpty)
        await client.logout()
    }
}
