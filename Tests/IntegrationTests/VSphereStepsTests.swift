import ImageBuilderKit
import ImageBuilderTestSupport
import Synchronization
import Testing
import VSphereKit

/// The vSphere steps around packer, on a simulator the test starts, through a transport that
/// records every call and injects faults: the runner performs exactly the plan's after-packer
/// list, in order, and stops at a failing step. packer is a stand-in that creates the build VM
/// (a clone of a simulator VM) and writes the manifest, as packer's builder and its manifest
/// post-processor do.
@Suite(
    .serialized,
    .enabled(
        if: (SimulatorFixture.available && Fixtures.hasTool("qemu-img")) || Fixtures.isCI,
        "needs go, govmomi's source and qemu-img"))
struct VSphereStepsTests {
    /// The transports the run's clients were made with.
    final class Transports: Sendable {
        let made = Mutex<[FaultInjectingTransport]>([])
        let inject: [String: FaultInjectingTransport.Injection]
        init(inject: [String: FaultInjectingTransport.Injection] = [:]) { self.inject = inject }
        var methods: [String] { made.withLock { $0.flatMap { $0.requests.map(FaultInjectingTransport.method) } } }
    }

    /// packer's stand-in: clones DC0_C0_RP0_VM0 as the plan's VM and writes the manifest.
    struct PackerStandIn: ProcessRunning {
        let simulator: SimulatorFixture
        let plan: BuildPlan
        /// Called when the VM exists and packer is about to exit 0.
        var done: @Sendable () -> Void = {}
        func run(_ command: ProcessCommand, onLine: @escaping @Sendable (OutputStreamKind, String) async -> Void) async throws -> ProcessOutcome {
            let client = VSphereClient(
                host: simulator.host, username: simulator.username, password: simulator.password,
                transport: try AHCTransport(host: simulator.host, trust: .caFile(simulator.caFile)), userAgent: "packer-stand-in")
            let source = try await client.requireVM("DC0_C0_RP0_VM0")
            _ = try await client.clone(source, as: plan.vmName ?? "", .init()) { _ in }
            await client.logout()
            try Fixtures.write(Fixtures.packerManifest([Fixtures.customData()]), to: plan.outputDirectory + "/packer-manifest.json")
            await onLine(.standardOutput, "==> vsphere: Creating VM...")
            done()
            return .exited(0)
        }
    }

    struct Run {
        let plan: BuildPlan
        let outcome: RunOutcome
        let transports: Transports
    }

    /// Plans `target` against the simulator with `settings` layered last, and runs it.
    static func run(
        _ target: String, settings: String, inject: [String: FaultInjectingTransport.Injection] = [:],
        cancelAfterPacker: Bool = false, before: (SimulatorFixture, String) async throws -> Void = { _, _ in },
        after: (SimulatorFixture) async throws -> Void = { _ in }
    ) async throws -> Run {
        let simulator = try await SimulatorFixture.start()
        defer { Task { await simulator.stop() } }
        let root = try Fixtures.makeRepoCopy()
        try await before(simulator, root)
        let work = try Fixtures.makeTemporaryDirectory("ib-steps")
        try Fixtures.write(settings, to: work + "/settings.json", mode: 0o600)
        let environment = RunEnvironment(
            variables: [
                "IB_ROOT": root, "PATH": "/usr/bin:/bin", "HOME": work,
                "PACKER_VAR_FILES": simulator.varFile + " " + work + "/settings.json",
            ],
            workingDirectory: work)
        let planner = try Planner(environment: environment, runID: BuildWorkspace.makeRunID())
        planner.refusesMissingSettings = true
        let plan = try #require(try planner.plans(try planner.targets([target], commandVerb: .build)).first)
        let transports = Transports(inject: inject)
        let vsphere = VSphereRun(runID: planner.runID, warn: { _ in }) { settings, agent, _ in
            let transport = FaultInjectingTransport(
                try AHCTransport(host: settings.server, trust: .caFile(settings.caFile ?? "")),
                inject: transports.inject)
            transports.made.withLock { $0.append(transport) }
            return VSphereClient(
                host: settings.server, username: settings.username, password: settings.password.value,
                transport: transport, userAgent: agent)
        }
        let cancel = Mutex<Task<RunOutcome, Never>?>(nil)
        let packer = PackerStandIn(simulator: simulator, plan: plan) { if cancelAfterPacker { cancel.withLock { $0?.cancel() } } }
        let runner = BuildRunner(
            runner: packer, helpers: SubprocessRunner.helper, environment: environment,
            layout: planner.layout, runID: planner.runID, observe: { _ in }, vsphere: vsphere)
        let task = Task { await runner.run(plan) }
        cancel.withLock { $0 = task }
        let outcome = await task.value
        await vsphere.close()
        try await after(simulator)
        return Run(plan: plan, outcome: outcome, transports: transports)
    }

    static let convertAndDestroy = "{\"convert_to_template\": \"true\", \"destroy\": \"true\"}"

    @Test("the runner performs the plan's after-packer list, in order: install media, template, stand-in disk, export, destroy")
    func stepsFollowThePlan() async throws {
        let run = try await Self.run("build-node-ova-vsphere-ubuntu-2404", settings: Self.convertAndDestroy)
        #expect(run.plan.afterPacker == [.removeInstallMedia, .convertToTemplate, .uploadStandInDisk, .exportOVA, .destroyVM])
        #expect(run.outcome.result == .succeeded, "\(run.outcome.message ?? "")")
        #expect(run.outcome.stepsPerformed == run.plan.afterPacker)
        let methods = run.transports.methods
        let order = ["MarkAsTemplate", "Destroy_Task"].map { name in methods.firstIndex(of: name) ?? -1 }
        #expect(order[0] >= 0 && order[1] > order[0], "\(methods)")
        #expect(FileReader.exists(run.plan.outputDirectory + "/ubuntu-2404-kube-v1.36.1.ova"))
    }

    @Test("settings that are off leave their steps out of the plan, and the runner does not do them")
    func stepsThatAreOffAreNeitherPlannedNorDone() async throws {
        let run = try await Self.run("build-node-ova-vsphere-ubuntu-2404", settings: "{\"convert_to_template\": \"false\", \"destroy\": \"false\"}")
        #expect(run.plan.afterPacker == [.removeInstallMedia, .uploadStandInDisk, .exportOVA])
        #expect(run.outcome.stepsPerformed == run.plan.afterPacker)
        #expect(!run.transports.methods.contains("MarkAsTemplate") && !run.transports.methods.contains("Destroy_Task"))
    }

    @Test("a step that fails stops the list: nothing after it is attempted, and the build fails naming it")
    func aFailingStepStopsTheList() async throws {
        let run = try await Self.run(
            "build-node-ova-vsphere-ubuntu-2404", settings: Self.convertAndDestroy,
            inject: ["MarkAsTemplate": .soapFault(type: "InvalidState", message: "the VM is busy")])
        #expect(run.outcome.result == .failed)
        #expect(run.outcome.stepsPerformed == [.removeInstallMedia])
        #expect(run.outcome.message?.contains("the VM is busy") == true, "\(run.outcome.message ?? "")")
        let methods = run.transports.methods
        #expect(!methods.contains("ExportVm"))
        // The VM this run created is removed (by its id), after the failing step.
        #expect((methods.firstIndex(of: "Destroy_Task") ?? -1) > (methods.firstIndex(of: "MarkAsTemplate") ?? Int.max))
        #expect(!FileReader.exists(run.plan.outputDirectory + "/ubuntu-2404-kube-v1.36.1.ova"))
    }

    @Test("interrupted right after packer: the VM the run created is removed, and the summary says interrupted")
    func anInterruptionAfterPackerRemovesTheVM() async throws {
        let run = try await Self.run(
            "build-node-ova-vsphere-ubuntu-2404", settings: Self.convertAndDestroy, cancelAfterPacker: true,
            after: { simulator in
                let client = try ClientOperationTests_client(simulator)
                #expect(try await client.findVM("ubuntu-2404-kube-v1.36.1") == nil)
                #expect(try await client.findVM("DC0_C0_RP0_VM0") != nil, "the VM packer cloned from is untouched")
                await client.logout()
            })
        #expect(run.outcome.result == .cancelled)
        #expect(run.outcome.message?.contains("interrupted") == true && run.outcome.message?.contains("unreachable") == false)
        #expect(run.transports.methods.contains("Destroy_Task"))
        #expect(run.outcome.stepsPerformed.isEmpty)
    }

    @Test("a run killed outright left a VM: the next run of the target removes it by its id, and nothing else")
    func aDeadRunsVMIsRemovedByItsID() async throws {
        let left = Mutex<String?>(nil)
        let run = try await Self.run(
            "build-node-ova-vsphere-ubuntu-2404", settings: "{\"destroy\": \"false\"}",
            before: { simulator, root in
                let client = try ClientOperationTests_client(simulator)
                let source = try await client.requireVM("DC0_C0_RP0_VM0")
                let dead = try await client.clone(source, as: "ubuntu-2404-kube-v1.36.1", .init()) { _ in }
                _ = try await client.clone(source, as: "ubuntu-2404-kube-v1.36.1-keep", .init()) { _ in }
                await client.logout()
                left.withLock { $0 = dead.value }
                try RunLedger(layout: RepoLayout(root: root)).record(
                    .init(
                        target: "build-node-ova-vsphere-ubuntu-2404", server: simulator.host, vmName: "ubuntu-2404-kube-v1.36.1",
                        preexisting: [], created: dead.value, runID: "20260101T000000-1"))
            },
            after: { simulator in
                let client = try ClientOperationTests_client(simulator)
                let now = try await client.requireVM("ubuntu-2404-kube-v1.36.1")
                #expect(now.value != left.withLock { $0 }, "the dead run's VM is gone; this run built its own")
                #expect(try await client.findVM("ubuntu-2404-kube-v1.36.1-keep") != nil)
                await client.logout()
            })
        #expect(run.outcome.result == .succeeded, "\(run.outcome.message ?? "")")
        let destroyed = run.transports.made.withLock { $0.flatMap(\.requests) }.filter { FaultInjectingTransport.method($0) == "Destroy_Task" }
        #expect(
            destroyed.count == 1 && destroyed[0].contains(">\(left.withLock { $0 } ?? "?")<"),
            "removed by its id: \(destroyed) \(run.transports.methods)")
        #expect(FileReader.list(run.plan.workDirectory + "/../../.runs")?.isEmpty ?? true, "no ledger entry is left")
    }

    @Test("a clone's base gets a snapshot before packer starts; the clone's steps follow its plan")
    func aCloneSnapshotsItsBaseFirst() async throws {
        let run = try await Self.run("build-node-ova-vsphere-clone-ubuntu-2404", settings: "{\"template\": \"DC0_H0_VM0\"}")
        #expect(run.plan.base?.template == "DC0_H0_VM0")
        let methods = run.transports.methods
        let snapshot = try #require(methods.firstIndex(of: "CreateSnapshot_Task"))
        let export = methods.firstIndex(of: "ExportVm") ?? methods.lastIndex(of: "RetrievePropertiesEx") ?? 0
        #expect(snapshot < export)
        #expect(run.outcome.stepsPerformed == run.plan.afterPacker, "\(run.outcome.message ?? "")")
    }
}
