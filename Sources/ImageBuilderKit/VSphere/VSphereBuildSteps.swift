public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning
import OVAKit
import Synchronization
public import VSphereKit

/// What the orchestrator does on vCenter around one vSphere build: before packer (the base of a
/// clone, with a snapshot; whether the build's VM already exists), during (under the simulator
/// profile, powering the VM off when packer waits for the guest), and after (template
/// conversion, export, destroy — or, when packer died, removing the VM it left behind).
package final class VSphereBuildSteps: Sendable {
    let client: VSphereClient
    let plan: BuildPlan
    let processes: any ProcessRunning
    let note: @Sendable (String) -> Void
    let layout: RepoLayout
    let environment: RunEnvironment
    /// The stand-in for the guest's shutdown; its result is an error's text, if any.
    let poweringOff = Mutex<Task<String?, Never>?>(nil)
    /// What this run owns on vCenter: the ids of the VMs of the build's name that existed
    /// before (never touched) and the id of the VM packer created, once seen.
    let ownership = Mutex<RunLedger.Entry?>(nil)
    /// Polls for the VM packer creates, to record its id.
    let watching = Mutex<Task<Void, Never>?>(nil)
    let ledger: RunLedger
    let runID: String
    /// Bytes of ISO this build uploaded to the datastore (the ISO cache), for the report.
    let isoBytesUploaded = Atomic<Int64>(0)

    package init(
        client: VSphereClient, plan: BuildPlan, layout: RepoLayout, environment: RunEnvironment,
        processes: any ProcessRunning, runID: String, note: @escaping @Sendable (String) -> Void
    ) {
        self.runID = runID
        ledger = RunLedger(layout: layout)
        self.processes = processes
        self.layout = layout
        self.environment = environment
        self.client = client
        self.plan = plan
        self.note = note
    }

    var vmName: String { plan.vmName ?? "" }

    /// Before packer: the base of a clone (with a snapshot), what a dead run of this target
    /// left, and which VMs of the build's name exist already (those are never touched).
    package func prepare() async throws {
        if let reference = plan.base {
            let name = reference.template
            guard let base = try await client.findVM(name) else {
                throw VSphereStepError.missingBase(target: plan.target, template: name, server: client.host, baseTarget: reference.target)
            }
            if try await client.snapshots(base).all.isEmpty {
                note("base \(name) has no snapshot: creating one for linked clones")
                try await client.createSnapshot(base, name: "image-builder", description: "for linked clones")
            }
        }
        // packer's manifest post-processor writes into the output directory.
        if !plan.family.isBase { try FileWriter.makeDirectory(plan.outputDirectory, mode: 0o755) }
        try await removeLeftBehind()
        try await claim()
        if let iso = plan.isoDatastore, let settings = plan.vsphere {
            let upload = ISODatastoreUpload(client: client, datacenter: settings.datacenter, layout: layout, runID: runID, note: note)
            isoBytesUploaded.store(try await upload.ensure(iso, workDirectory: plan.workDirectory), ordering: .relaxed)
        }
    }

    /// Watches packer's output: under the simulator profile, the wait for the guest to shut down
    /// is ended by powering the VM off through the client (standing in for the installer).
    package func observe(_ line: String) {
        guard plan.simulator != nil, line.contains("Please shutdown virtual machine") else { return }
        let (client, name, note) = (client, vmName, note)
        poweringOff.withLock { task in
            guard task == nil else { return }
            task = Task {
                do {
                    let vm = try await client.requireVM(name)
                    if try await client.powerState(vm) == "poweredOn" { try await client.powerOff(vm) }
                    note("simulator profile: powered \(name) off (the guest's shutdown)")
                    return nil
                } catch {
                    note("simulator profile: could not power \(name) off: \(error)")
                    return "\(error)"
                }
            }
        }
    }

    /// What `finish` did: the steps carried out, a note for the summary, the error that
    /// stopped the list (the steps after it were not attempted).
    package struct Finished: Sendable {
        package let performed: [AfterPackerStep]
        package let note: String?
        package let error: (any Error)?
        /// The run's cancellation stopped a step (not a failure of vCenter or the disk).
        package var interrupted: Bool {
            guard let error else { return false }
            if error is CancellationError { return true }
            if case .interrupted? = error as? OVAError { return true }
            if let failure = error as? OVAWriter.Failure { return failure.isInterruption }
            return false
        }
    }

    /// After packer succeeded: performs the plan's `afterPacker` list, in order, stopping at the
    /// first step that fails.
    package func finish(runDirectory: String) async -> Finished {
        _ = await poweringOff.withLock { $0 }?.value
        let notes = [
            plan.simulator != nil ? "simulator-built: the guest was left out (see the plan's simulator profile)" : nil,
            plan.afterPacker.contains(.removeVTPMForExport)
                ? "vTPM: removed for the export (the OVA has none; vCenter does not export one)"
                    + (plan.afterPacker.contains(.restoreVTPM)
                        ? ", added again on the \(plan.afterPacker.contains(.convertToTemplate) ? "template" : "VM")" : "")
                : nil,
        ].compactMap { $0 }
        let summary = notes.isEmpty ? nil : notes.joined(separator: "; ")
        var performed: [AfterPackerStep] = []
        do {
            let vm = try await client.requireVM(vmName)
            for step in plan.afterPacker where step.byOrchestrator {
                try await perform(step, vm: vm, runDirectory: runDirectory)
                performed.append(step)
            }
            return Finished(performed: performed, note: summary, error: nil)
        } catch {
            return Finished(performed: performed, note: summary, error: error)
        }
    }

    /// One step after packer.
    func perform(_ step: AfterPackerStep, vm: ManagedObjectReference, runDirectory: String) async throws {
        switch step {
        case .removeInstallMedia:
            let media = try await client.cdroms(vm).filter(\.holdsMedia)
            try await client.removeCDROMs(vm, media)
            if !media.isEmpty {
                note(
                    "\(vmName): removed \(media.count) CD-ROM drive(s) holding install media (\(media.compactMap(\.isoFile).joined(separator: ", ")))"
                )
            }
        case .enableSecureBoot:
            if try await !client.firmware(vm).secureBoot {
                try await client.setFirmware(vm, firmware: "efi", secureBoot: true)
                note("\(vmName): Secure Boot turned on (firmware efi-secure)")
            }
        case .addVTPM:
            if try await client.addTrustedPlatformModule(vm) { note("\(vmName): vTPM added (vtpm)") }
        case .removeVTPMForExport:
            if try await client.removeTrustedPlatformModules(vm) {
                note("\(vmName): vTPM removed for the export (vCenter does not export a VM with a vTPM); the OVA has none")
            }
        case .restoreVTPM:
            if try await client.addTrustedPlatformModule(vm) {
                note(
                    "\(vmName): vTPM added again after the export" + (plan.afterPacker.contains(.convertToTemplate) ? " (the template keeps it)" : "")
                )
            }
        case .convertToTemplate:
            if try await client.properties(of: vm, ["config.template"])["config.template"]?.string != "true" {
                try await client.markAsTemplate(vm)
            }
            note("\(vmName): converted to a template" + (plan.family.isBase ? " (the base of linked clones)" : ""))
        case .uploadStandInDisk:
            try await uploadStandInDisk(vm, runDirectory: runDirectory)
            try FileWriter.write(
                "Built on the vCenter simulator: the guest was left out; the disk is a stand-in.\n",
                to: plan.outputDirectory + "/SIMULATOR-BUILT", mode: 0o644)
        case .exportOVA:
            try await exportAsOVA(vm)
        case .destroyVM:
            try await client.destroy(vm)
            note("\(vmName): destroyed (destroy is true)")
        case .packageByPostProcessor:
            break
        }
    }

    /// The export streamed straight into the OVA (goal P2b: every byte written once, no VMDK
    /// file first): each disk goes to its place in the archive as it arrives.
    private func exportAsOVA(_ vm: ManagedObjectReference) async throws {
        let disks = try await client.diskFiles(vm)
        let inputs = try OVAPackaging(outputDirectory: plan.outputDirectory, layout: layout, environment: environment, diskCount: disks.count)
        inputs.warnings.forEach(note)
        // The writer polls this flag; the final hashing read runs off the cooperative pool,
        // where Task.isCancelled would not see the build's cancellation.
        let stop = Atomic<Bool>(false)
        let stream = OVAStream(writer: OVAWriter(layout: inputs.layout) { stop.load(ordering: .relaxed) })
        try stream.begin()
        do {
            let (exported, result) = try await withTaskCancellationHandler {
                let exported = try await client.exportDisks(vm) { name, chunk in try stream.append(name, chunk) }
                return (exported, try await OffThread.run { try stream.finish() })
            } onCancel: {
                stop.store(true, ordering: .relaxed)
            }
            for disk in exported { note("exported \(disk.name) (\(disk.bytes) bytes) into \(inputs.layout.ovaName)") }
            note("packaged \(result.ova) (sha256 \(result.sha256))")
        } catch {
            stream.abort()
            throw error
        }
    }

    /// The simulator's disks are empty files: a small streamOptimized disk made with qemu-img
    /// goes over the VM's first disk file, standing in for the installed OS. Its capacity is
    /// `disk_size` (sparse: the file stays small), as the OVF will say.
    private func uploadStandInDisk(_ vm: ManagedObjectReference, runDirectory: String) async throws {
        guard let disk = try await client.diskFiles(vm).first else { return }
        let raw = runDirectory + "/stand-in.raw"
        let vmdk = runDirectory + "/stand-in.vmdk"
        let script =
            "qemu-img create -q -f raw \"$1\" \"$3\"M && printf 'image-builder simulator stand-in disk' | "
            + "dd of=\"$1\" conv=notrunc status=none && qemu-img convert -O vmdk -o subformat=streamOptimized \"$1\" \"$2\""
        let outcome = try await processes.run(
            ProcessCommand(
                executable: "/bin/sh", arguments: ["-c", script, "sh", raw, vmdk, String(plan.simulator?.diskSizeMiB ?? 16)],
                environment: ["PATH": "/usr/local/bin:/usr/bin:/bin"], workingDirectory: runDirectory)
        ) { _, _ in }
        guard outcome.succeeded, let size = FileReader.size(vmdk) else {
            throw EnvironmentError.toolMissing(tool: "qemu-img", hint: "`make deps-ova` installs qemu-utils")
        }
        let datacenter = try await client.datacenterName(of: vm)
        try await client.uploadToDatastore(vmdk, size: size, as: disk, datacenter: datacenter)
        _ = try? FileWriter.remove(raw)
        note("simulator profile: uploaded a \(size)-byte streamOptimized stand-in over [\(disk.datastore)] \(disk.path)")
    }
}
