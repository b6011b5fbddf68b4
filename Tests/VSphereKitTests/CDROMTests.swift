import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing
import VSphereKit

/// CD-ROM drives holding install media, read and removed through the client on the simulator (the
/// step before a template is made: what `onevcenter import` and clones would inherit).
@Suite(.enabled(if: SimulatorFixture.available, "needs go and govmomi's source"))
struct CDROMTests {
    @Test(.timeLimit(.minutes(10)))
    func anISOBackedDriveIsSeenAndRemoved() async throws {
        let simulator = try await SimulatorFixture.start()
        defer { Task { await simulator.stop() } }
        let client = VSphereClient(
            host: simulator.host, username: simulator.username, password: simulator.password,
            transport: try AHCTransport(host: simulator.host, trust: .caFile(simulator.caFile)))
        let vm = try await client.requireVM("DC0_C0_RP0_VM0")
        try await client.powerOff(vm)
        let before = try await client.cdroms(vm)
        // An install ISO as packer's vsphere-iso attaches it, on the first IDE controller.
        let ide = try #require(
            (try await client.properties(of: vm, ["config.hardware.device"])["config.hardware.device"]?.node?.children ?? [])
                .first { $0.xsiType == "VirtualIDEController" }?.child("key")?.text)
        try await client.runTask(
            "ReconfigVM_Task", on: vm,
            [
                "<spec><deviceChange><operation>add</operation><device xsi:type=\"VirtualCdrom\"><key>-1</key>"
                    + "<backing xsi:type=\"VirtualCdromIsoBackingInfo\"><fileName>[LocalDS_0] install.iso</fileName></backing>"
                    + "<connectable><startConnected>true</startConnected><allowGuestControl>true</allowGuestControl><connected>false</connected>"
                    + "</connectable><controllerKey>\(ide)</controllerKey><unitNumber>1</unitNumber></device></deviceChange></spec>"
            ])
        let attached = try await client.cdroms(vm)
        let iso = try #require(attached.first { $0.isoFile == "[LocalDS_0] install.iso" }, "\(attached)")
        #expect(iso.holdsMedia && iso.summary == "iso [LocalDS_0] install.iso" && iso.backing == "VirtualCdromIsoBackingInfo")
        try await client.removeCDROMs(vm, attached.filter(\.holdsMedia))
        let after = try await client.cdroms(vm)
        #expect(after.allSatisfy { !$0.holdsMedia }, "\(after)")
        #expect(after.count == before.filter { !$0.holdsMedia }.count)
        await client.logout()
    }
}
