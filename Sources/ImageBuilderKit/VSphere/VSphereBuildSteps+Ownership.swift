public import ImageBuilderBasics
public import ImageBuilderPlanning
import Synchronization
public import VSphereKit

/// The VMs a vSphere build owns, by managed-object id, never by name: what it created is
/// removed when it fails or is interrupted; what existed before, or belongs to another run,
/// is never touched.
extension VSphereBuildSteps {
    /// The ids and template flags of every VM named `name`.
    func vms(named name: String) async throws -> [(id: ManagedObjectReference, template: Bool)] {
        let all = try await client.objects(ofType: "VirtualMachine", ["name", "config.template"])
        return all.filter { $0.value["name"]?.string == name }.map { ($0.key, $0.value["config.template"]?.string == "true") }
            .sorted { $0.id.value < $1.id.value }
    }

    /// Records the VMs of the build's name that exist now, and starts watching for the one
    /// packer creates.
    func claim() async throws {
        let existing = try await vms(named: vmName).map(\.id.value)
        let entry = RunLedger.Entry(target: plan.target, server: client.host, vmName: vmName, preexisting: existing, created: nil, runID: runID)
        try ledger.record(entry)
        ownership.withLock { $0 = entry }
        let watcher = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(2))
                if (try? await recordCreated()) == true { return }
            }
        }
        watching.withLock { $0 = watcher }
    }

    /// Records the id of the VM packer created, once it exists; true when recorded.
    @discardableResult
    func recordCreated() async throws -> Bool {
        guard let entry = ownership.withLock({ $0 }) else { return false }
        if entry.created != nil { return true }
        guard let created = try await vms(named: vmName).first(where: { !entry.preexisting.contains($0.id.value) }) else { return false }
        var updated = entry
        updated.created = created.id.value
        // Stopped meanwhile (the build ended and removed its entry): the file is not written again.
        if !Task.isCancelled { try ledger.record(updated) }
        ownership.withLock { $0 = updated }
        return true
    }

    /// What the steps after packer came to: the steps done, a note for the summary, and a
    /// result when the build did not succeed on vCenter (nil: packer's status decides).
    package struct Ended: Sendable {
        package let performed: [AfterPackerStep]
        package let message: String?
        package let result: RunOutcome.Result?
    }

    /// After packer: the plan's steps when packer succeeded; otherwise, or when they fail or the
    /// run is interrupted, the VM this run created is removed (the summary says `interrupted`,
    /// never `unreachable`, for a cancelled run).
    package func afterPacker(packerSucceeded: Bool, runDirectory: String, starting: () -> Void) async -> Ended {
        guard packerSucceeded && !Task.isCancelled else {
            let failure = await cleanUp()
            return Ended(performed: [], message: Task.isCancelled ? "interrupted" : failure, result: nil)
        }
        starting()
        let finished = await finish(runDirectory: runDirectory)
        if Task.isCancelled || finished.interrupted {
            let failure = await cleanUp()
            return Ended(
                performed: finished.performed, message: "interrupted after packer" + (failure.map { "; clean-up: \($0)" } ?? ""),
                result: .cancelled)
        }
        if let error = finished.error {
            note("after packer: \(error)")
            _ = await cleanUp()
            return Ended(
                performed: finished.performed, message: "after packer: \((error as? VSphereError).map { "\($0)" } ?? "\(error)")",
                result: .failed)
        }
        await release()
        return Ended(performed: finished.performed, message: finished.note, result: nil)
    }

    /// The build ended as it should: its ledger entry goes.
    package func release() async {
        await stopWatching()
        ledger.remove(runID: runID, target: plan.target)
    }

    /// Stops the watcher and waits for it: a watcher that was already recording the created
    /// VM's id when cancelled would otherwise write the entry again after it was removed.
    func stopWatching() async {
        let watcher = watching.withLock { task -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        watcher?.cancel()
        await watcher?.value
    }

    /// After packer failed, was killed or the run was interrupted: the VM this run created is
    /// removed by its id. Runs to its end even when the run is cancelled. Returns what went wrong
    /// on vCenter, if anything did (an unreachable vCenter explains packer's failure better).
    package func cleanUp() async -> String? {
        await stopWatching()
        let powerFailure = await poweringOff.withLock({ $0 })?.value ?? nil
        // Shielded: the run's cancellation must not stop the clean-up halfway.
        let failure = await Task { [self] () -> String? in
            do {
                guard let entry = ownership.withLock({ $0 }) else { return nil }
                try await remove(vmsOf: entry, note: "packer left it behind")
                ledger.remove(runID: runID, target: plan.target)
                return nil
            } catch {
                note("\(vmName): could not check or remove it: \(error)")
                return "\(error)"
            }
        }.value
        return powerFailure ?? failure
    }

    /// Before building: VMs that a run of this target killed outright left behind are removed
    /// by their recorded id (the target's lock says that run is gone).
    func removeLeftBehind() async throws {
        for entry in ledger.leftBehind(target: plan.target, except: runID) where entry.server == client.host {
            try await remove(vmsOf: entry, note: "left behind by run \(entry.runID), which did not finish")
            ledger.remove(runID: entry.runID, target: entry.target)
        }
    }

    /// Removes the VM an entry's run created: its recorded id, else (killed before the id was
    /// recorded) the VMs of its name that are neither older than that run nor templates.
    func remove(vmsOf entry: RunLedger.Entry, note reason: String) async throws {
        let candidates = try await vms(named: entry.vmName).filter { vm in
            if let created = entry.created { return vm.id.value == created }
            return !entry.preexisting.contains(vm.id.value) && !vm.template
        }
        for vm in candidates {
            if try await client.powerState(vm.id) == "poweredOn" { try await client.powerOff(vm.id) }
            try await client.destroy(vm.id)
            note("\(entry.vmName): removed (\(reason)), id \(vm.id.value)")
        }
    }
}
