import ImageBuilderTestSupport
import Testing
import VSphereKit

/// Every client operation against a simulator each test starts (issue 5, acceptance 1).
@Suite(.enabled(if: SimulatorFixture.available, "needs go and govmomi's source (make deps-ova)"))
struct ClientOperationTests {
    /// A client on `simulator` that verifies TLS with its CA.
    static func client(_ simulator: SimulatorFixture, agent: String = "image-builder-test") throws -> VSphereClient {
        VSphereClient(
            host: simulator.host, username: simulator.username, password: simulator.password,
            transport: try AHCTransport(host: simulator.host, trust: .caFile(simulator.caFile)), userAgent: agent)
    }

    @Test(.timeLimit(.minutes(10)))
    func findReadSnapshotLinkedCloneAndReadBack() async throws {
        let simulator = try await SimulatorFixture.start()
        let client = try Self.client(simulator)
        defer {
            Task {
                await client.logout()
                await simulator.stop()
            }
        }

        let vm = try #require(try await client.find(inventoryPath: "DC0/vm/DC0_C0_RP0_VM0"))
        #expect(try await client.findVM("DC0_C0_RP0_VM0") == vm)
        #expect(try await client.findVM("no-such-vm") == nil)
        await #expect(throws: VSphereError.self) { try await client.requireVM("no-such-vm") }
        let all = try await client.objects(ofType: "VirtualMachine", ["name", "runtime.powerState"])
        #expect(all.count >= 4 && all[vm]?["name"]?.string == "DC0_C0_RP0_VM0")

        // Snapshot, then a linked clone from it; the clone's settings are read back.
        try await client.powerOff(vm)
        #expect(try await client.powerState(vm) == "poweredOff")
        let snapshot = try await client.createSnapshot(vm, name: "base", description: "for clones")
        let tree = try await client.snapshots(vm)
        #expect(tree.all.map(\.name) == ["base"] && tree.current == snapshot)
        #expect(try await client.snapshot(vm, named: "base") == snapshot)
        let percents = Percents()
        let clone = try await client.clone(vm, as: "linked-1", .init(linked: true)) { percents.add($0) }
        #expect(percents.values.last == 100)
        let read = try await client.properties(of: clone, ["name", "config.hardware.numCPU", "parent", "resourcePool"])
        let source = try await client.properties(of: vm, ["config.hardware.numCPU", "parent", "resourcePool"])
        #expect(read["name"]?.string == "linked-1")
        #expect(read["config.hardware.numCPU"] == source["config.hardware.numCPU"])
        #expect(read["parent"] == source["parent"] && read["resourcePool"] == source["resourcePool"])
        #expect(try await client.findVM("linked-1") == clone)
        // One round trip for several objects of different types.
        let batch = try await client.properties(of: [vm, clone, try #require(read["resourcePool"]?.reference)], ["name"])
        #expect(batch.count == 3 && batch[clone]?["name"]?.string == "linked-1" && batch[vm]?["name"]?.string == "DC0_C0_RP0_VM0")

        // Revert and remove.
        let second = try await client.createSnapshot(vm, name: "second")
        try await client.revert(to: snapshot)
        #expect(try await client.snapshots(vm).current == snapshot)
        try await client.revertToCurrentSnapshot(vm)
        try await client.removeSnapshot(second)
        #expect(try await client.snapshots(vm).all.map(\.name) == ["base"])
    }

    @Test(.timeLimit(.minutes(10)))
    func templatePowerGuestinfoAndDestroy() async throws {
        let simulator = try await SimulatorFixture.start()
        let client = try Self.client(simulator)
        defer {
            Task {
                await client.logout()
                await simulator.stop()
            }
        }
        let vm = try await client.requireVM("DC0_C0_RP0_VM1")

        // guestinfo values with characters XML and shells care about round-trip.
        let tricky = "a<b>&c\"d'e $(x) `y` \\ ü 🚀\n2nd line"
        try await client.setExtraConfig(vm, [("guestinfo.userdata", tricky), ("guestinfo.userdata.encoding", "base64")])
        let config = try await client.extraConfig(vm)
        #expect(config["guestinfo.userdata"] == tricky)
        #expect(config["guestinfo.userdata.encoding"] == "base64")

        // Power: on again is a typed task fault; off, template, back to a VM.
        #expect(try await client.powerState(vm) == "poweredOn")
        let again = await #expect(throws: VSphereError.self) { try await client.powerOn(vm) }
        #expect(again?.faultType == "InvalidPowerState")
        let template = await #expect(throws: VSphereError.self) { try await client.markAsTemplate(vm) }
        #expect(template?.faultType == "InvalidPowerState")
        try await client.powerOff(vm)
        try await client.markAsTemplate(vm)
        #expect(try await client.properties(of: vm, ["config.template"])["config.template"]?.string == "true")

        // A full clone of the template, powered on, then destroyed.
        let clone = try await client.clone(vm, as: "from-template", .init(powerOn: true))
        #expect(try await client.powerState(clone) == "poweredOn")
        try await client.powerOff(clone)
        try await client.destroy(clone)
        #expect(try await client.findVM("from-template") == nil)

        try await client.markAsVirtualMachine(vm)
        #expect(try await client.properties(of: vm, ["config.template"])["config.template"]?.string == "false")
        try await client.powerOn(vm)
        #expect(try await client.powerState(vm) == "poweredOn")
    }
}
