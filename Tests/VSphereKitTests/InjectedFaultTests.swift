import ImageBuilderTestSupport
import Testing
import VSphereKit

/// Faults a real vCenter raises and the simulator does not (stack-findings §5), through a
/// fault-injecting transport around a real simulator session (issue 5, acceptance 4).
@Suite(.enabled(if: SimulatorFixture.available, "needs go and govmomi's source (make deps-ova)"))
struct InjectedFaultTests {
    @Test(.timeLimit(.minutes(10)))
    func realVCenterRefusalsBecomeTypedErrors() async throws {
        let simulator = try await SimulatorFixture.start()
        defer { Task { await simulator.stop() } }
        let transport = FaultInjectingTransport(try AHCTransport(host: simulator.host, trust: .caFile(simulator.caFile)))
        let client = VSphereClient(host: simulator.host, username: simulator.username, password: simulator.password, transport: transport)
        let vm = try await client.requireVM("DC0_C0_RP0_VM0")

        // A linked clone sends the snapshot and the child-disk move type; the simulator accepts it.
        try await client.powerOff(vm)
        let snapshot = try await client.createSnapshot(vm, name: "base")
        _ = try await client.clone(vm, as: "linked-ok", .init(linked: true))
        let cloneCall = try #require(transport.requests.last { FaultInjectingTransport.method($0) == "CloneVM_Task" })
        #expect(cloneCall.contains("<diskMoveType>createNewChildDiskBacking</diskMoveType>"))
        #expect(cloneCall.contains(snapshot.xml("snapshot")))

        // Duplicate name: the clone task fails with DuplicateName.
        transport.inject(
            "CloneVM_Task",
            .taskFault(
                type: "DuplicateName", message: "The name 'linked-ok' already exists.",
                detail: "<name>linked-ok</name><object type=\"VirtualMachine\">vm-1</object>"))
        let duplicate = await #expect(throws: VSphereError.self) { _ = try await client.clone(vm, as: "linked-ok", .init(linked: true)) }
        #expect(duplicate?.faultType == "DuplicateName")
        #expect(duplicate.map { "\($0)" }?.contains("already exists") == true)

        // A linked clone without a snapshot: vCenter refuses the spec.
        transport.inject(
            "CloneVM_Task",
            .soapFault(
                type: "InvalidArgument", message: "A specified parameter was not correct: spec.snapshot",
                detail: "<invalidProperty>spec.snapshot</invalidProperty>"))
        let linked = await #expect(throws: VSphereError.self) { _ = try await client.clone(vm, as: "no-snap", .init(linked: true)) }
        guard case .fault(let host, let method, let fault)? = linked else {
            Issue.record("\(String(describing: linked))")
            return
        }
        #expect(host == simulator.host && method == "CloneVM_Task" && fault.type == "InvalidArgument")

        // A snapshot of a template: NotSupported.
        transport.inject("CreateSnapshot_Task", .soapFault(type: "NotSupported", message: "The operation is not supported on the object."))
        let onTemplate = await #expect(throws: VSphereError.self) { try await client.createSnapshot(vm, name: "x") }
        #expect(onTemplate?.faultType == "NotSupported")

        // Destroying a powered-on VM: the task fails with InvalidPowerState.
        transport.inject(
            "Destroy_Task",
            .taskFault(
                type: "InvalidPowerState", message: "The attempted operation cannot be performed in the current state (Powered on).",
                detail: "<requestedState>poweredOff</requestedState><existingState>poweredOn</existingState>"))
        let destroy = await #expect(throws: VSphereError.self) { try await client.destroy(vm) }
        guard case .taskFailed(_, let task, let taskFault)? = destroy else {
            Issue.record("\(String(describing: destroy))")
            return
        }
        #expect(task == "Destroy_Task" && taskFault.type == "InvalidPowerState" && taskFault.message.contains("Powered on"))

        // Without injections the same calls reach the simulator again.
        transport.inject("Destroy_Task", nil)
        try await client.destroy(try await client.requireVM("linked-ok"))
        #expect(try await client.findVM("linked-ok") == nil)
        await client.logout()
    }
}
