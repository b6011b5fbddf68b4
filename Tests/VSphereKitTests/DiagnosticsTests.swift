import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing
import VSphereKit

/// What the stall watchdog asks vCenter (issue 18): guest state and events from the simulator,
/// the console screenshot through a recorded CreateScreenshot_Task reply (the simulator has no
/// such method, which the client reports as a fault of that type).
@Suite(.enabled(if: SimulatorFixture.available || Fixtures.isCI, "needs go and govmomi's source"))
struct DiagnosticsTests {
    @Test(.timeLimit(.minutes(10)))
    func guestStateEventsAndAScreenshotAreRead() async throws {
        let simulator = try await SimulatorFixture.start()
        defer { Task { await simulator.stop() } }
        let transport = FaultInjectingTransport(try AHCTransport(host: simulator.host, trust: .caFile(simulator.caFile)))
        let client = VSphereClient(host: simulator.host, username: simulator.username, password: simulator.password, transport: transport)
        let vm = try await client.requireVM("DC0_C0_RP0_VM0")
        try await client.powerOff(vm)
        try await client.powerOn(vm)
        let state = try await client.guestState(vm)
        #expect(state.powerState == "poweredOn", "\(state)")
        #expect(state.summary.hasPrefix("poweredOn, tools "), "\(state.summary)")
        let events = try await client.recentEvents(vm, count: 5)
        #expect(!events.isEmpty && events.count <= 5, "\(events)")
        #expect(events.contains { $0.contains("VmPoweredOnEvent") }, "\(events)")

        // The simulator has no CreateScreenshot_Task: a fault the watchdog reports as unsupported.
        do {
            _ = try await client.createScreenshot(vm)
            Issue.record("the simulator took a screenshot")
        } catch {
            #expect(["NotImplemented", "MethodNotFound", "NotSupported"].contains(error.faultType ?? ""), "\(error)")
        }

        // A vCenter that has it: the task's result names the PNG on a datastore, read back whole.
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 7, count: 4000)
        let local = try Fixtures.makeTemporaryDirectory("ib-png") + "/screen.png"
        try Data(png).write(to: URL(fileURLWithPath: local))
        let datacenter = try await client.datacenterName(of: vm)
        let target = try #require(VSphereClient.DatastorePath("[LocalDS_0] DC0_C0_RP0_VM0/DC0_C0_RP0_VM0-1.png"))
        try await client.uploadToDatastore(local, size: Int64(png.count), as: target, datacenter: datacenter)
        transport.inject("CreateScreenshot_Task", .taskResult(type: "xsd:string", value: "[LocalDS_0] DC0_C0_RP0_VM0/DC0_C0_RP0_VM0-1.png"))
        let path = try await client.createScreenshot(vm)
        #expect(path == target)
        #expect(try await client.readDatastoreFile(path, datacenter: datacenter, limit: 1 << 20) == png)
        // A file larger than the bound is refused, not read whole.
        await #expect(throws: VSphereError.self) { try await client.readDatastoreFile(path, datacenter: datacenter, limit: 100) }
        await client.logout()
    }
}
