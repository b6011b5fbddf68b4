public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning
import Synchronization
import VSphereKit

/// Runs one planned build: waits for its base if there is one, prepares the work directory,
/// runs packer with output redacted, logged and turned into events. Never throws: whatever
/// happens becomes the build's outcome.
package struct BuildRunner: Sendable {
    package let runner: any ProcessRunning
    package let environment: RunEnvironment
    package let layout: RepoLayout
    package let runID: String
    /// Where log files go (default `output/logs`).
    package let logDirectory: String?
    package let observe: BuildObserver
    /// The run's vCenter sessions (one per vCenter), for vSphere builds; nil when builds must
    /// not contact vCenter (tests with a fake packer).
    package let vsphere: VSphereRun?
    /// Short helpers (openssl, qemu-img): the same seam as packer's runner, its own grace.
    package let helpers: any ProcessRunning
    /// The run's locks (targets, VM names, bases), taken before the run started.
    package let locks: RunLocks?

    package init(
        runner: any ProcessRunning, helpers: (any ProcessRunning)? = nil, environment: RunEnvironment, layout: RepoLayout,
        runID: String, logDirectory: String? = nil, observe: @escaping BuildObserver,
        warn: @escaping @Sendable (String) -> Void = { _ in }, contactsVCenter: Bool = true,
        vsphere: VSphereRun? = nil, locks: RunLocks? = nil
    ) {
        self.locks = locks
        self.runner = runner
        self.helpers = helpers ?? runner
        self.environment = environment
        self.layout = layout
        self.runID = runID
        self.logDirectory = logDirectory
        self.observe = observe
        self.vsphere = contactsVCenter ? vsphere ?? VSphereRun(runID: runID, warn: warn) : nil
    }

    /// Runs one build. A build from a base waits for the base's lock before it takes a job
    /// slot, so waiting never holds one of make's tokens.
    package func run(_ plan: BuildPlan, slots: JobSlots? = nil) async -> RunOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        func seconds() -> Double {
            let d = clock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        do {
            // A base build holds its lock (the run's locks took it); a build from a base waits
            // for it (another process, or this run, may be building it) and needs it complete.
            let lock = try await BaseGate.enter(plan, layout: layout, locks: locks, observe: observe)
            let observe = self.observe
            let slot = try await slots?.acquire { observe(.waiting(target: plan.target, reason: "a job slot from make")) }
            let outcome: Result<RunOutcome, any Error>
            do { outcome = .success(try await runPacker(plan, seconds: seconds)) } catch { outcome = .failure(error) }
            if let slot { await slots?.release(slot) }
            BaseGate.leave(plan, layout: layout, locks: locks, runID: runID, succeeded: (try? outcome.get().result) == .succeeded)
            // The base lock is held until the build is done.
            return try withExtendedLifetime(lock) { try outcome.get() }
        } catch is CancellationError {
            return RunOutcome(target: plan.target, result: .cancelled, seconds: seconds(), message: "cancelled before packer started")
        } catch let error as any UserFacingError {
            return RunOutcome(target: plan.target, result: .failed, seconds: seconds(), message: "\(error)")
        } catch {
            return RunOutcome(target: plan.target, result: .failed, seconds: seconds(), message: "\(error)")
        }
    }

    private func runPacker(_ plan: BuildPlan, seconds: () -> Double) async throws -> RunOutcome {
        if plan.verb == .build, let iso = plan.isoDownload {
            let observe = self.observe
            try await ISOFetcher.ensure(iso) {
                observe(.stage(target: plan.target, BuildEvent.fetchingISOStage))
                observe(.line(target: plan.target, "fetching \(iso.url) into \(iso.path)"))
            }
        }
        let workspace = BuildWorkspace(plan: plan, run: environment)
        let derived = try await workspace.create(loader: VarFileLoader(), processes: helpers)
        let redact = Redactor(workspace.secrets + derived)
        let logPath =
            plan.verb == .build
            ? (logDirectory.map { $0 + "/" + Paths.basename(plan.logFile) } ?? plan.logFile)
            : workspace.directory + "/validate.log"
        let log = try LogFile(path: logPath)
        // A qemu build's guest files: served on loopback while packer runs, relayed to the guest.
        let served = try await serveGuestFiles(plan) { log.append("image-builder: guest files: " + $0) }
        defer { served?.server.stop() }
        let command = served.map { workspace.command.adding(["-var", "qemu_guestfwd=" + $0.forward]) } ?? workspace.command
        log.append("$ " + redact(ShellWords.join([command.executable] + command.arguments)))
        observe(.started(target: plan.target, logFile: log.path))
        let observe = self.observe
        let target = plan.target
        let note: @Sendable (String) -> Void = { text in
            let safe = redact("image-builder: " + text)
            log.append(safe)
            observe(.line(target: target, safe))
        }
        // vSphere builds: the run's session, the base of a clone, the VMs this run owns.
        var steps: VSphereBuildSteps?
        if plan.verb == .build, let settings = plan.vsphere, plan.vmName != nil, let vsphere {
            do {
                let vsphereSteps = VSphereBuildSteps(
                    client: try await vsphere.client(for: settings), plan: plan,
                    layout: layout, environment: environment, processes: helpers, runID: runID, note: note)
                try await vsphereSteps.prepare()
                steps = vsphereSteps
            } catch let error as VSphereError {
                throw VSphereStepError.vcenter(error)
            }
        }
        let watcher = steps
        let watchdog = plan.stall.flatMap { $0.isOff ? nil : StallWatchdog(policy: $0) }
        // Work packer does not print: the VM's committed storage (vCenter), or the size of the
        // local VM's files in the output directory (vmware-iso writes them there).
        let outputDirectory = plan.outputDirectory
        let progress: @Sendable () async -> String? =
            if let watcher { { await watcher.progressToken() } } else { { Self.folderSize(outputDirectory).map(String.init) } }
        let (status, stall) = try await runWatched(command, watchdog: watchdog, progress: progress) { line in
            let safe = redact(ANSI.strip(line))
            log.append(safe)
            if let stage = StageParser.stage(in: safe) { observe(.stage(target: target, stage)) }
            observe(.line(target: target, safe))
            watcher?.observe(safe)
            watchdog?.observe(safe)
        } diagnose: { found in
            var diagnosis = StallDiagnosis(found)
            observe(.stage(target: target, BuildEvent.stalledStage))
            let name = Paths.basename(plan.logFile).replacingOccurrences(of: ".log", with: "") + "-console.png"
            let file = Paths.dirname(log.path) + "/" + name
            await watcher?.diagnose(&diagnosis, screenshotFile: file, display: layout.display(file))
            for line in diagnosis.logLines { note(line) }
            return diagnosis
        }
        // packer's own log (PACKER_LOG=1) is complete once packer has exited.
        try? LogRedaction.redactInPlace(workspace.directory + "/packer.log", redact)
        var message: String?
        var performed: [AfterPackerStep] = []
        if status.succeeded && !Task.isCancelled {
            // packer's own steps (its post-processors) are done when it exits 0.
            performed = plan.afterPacker.filter { !$0.byOrchestrator }
        }
        if let steps {
            let ended = await steps.afterPacker(packerSucceeded: status.succeeded, runDirectory: workspace.directory) {
                observe(.stage(target: target, BuildEvent.afterPackerStage))
            }
            performed += ended.performed
            message = [stall?.summary, ended.message].compactMap { $0 }.joined(separator: "; ")
            if let result = ended.result {
                try? workspace.removeOutsideTemporaryDirectory()
                var outcome = RunOutcome(
                    target: plan.target, result: result, exitCode: result == .failed ? 1 : nil, logFile: log.path,
                    workDirectory: workspace.directory, seconds: seconds(), message: message, stepsPerformed: performed)
                outcome.stall = stall
                outcome.isoBytesUploaded = steps.isoBytesUploaded.load(ordering: .relaxed)
                return outcome
            }
        }
        try? workspace.removeOutsideTemporaryDirectory()
        // A work directory is kept (0700) when the build did not succeed, for its logs and files;
        // after success it goes (IB_KEEP_WORK=1 keeps it).
        let keep = plan.verb == .build && (!status.succeeded || Task.isCancelled || environment.isOn("IB_KEEP_WORK"))
        if !keep { _ = try? FileWriter.remove(workspace.directory) }
        let code: Int32 =
            switch status {
            case .exited(let c): c
            case .signalled(let s): 128 + s
            }
        let result: RunOutcome.Result = Task.isCancelled ? .cancelled : (status.succeeded ? .succeeded : .failed)
        var outcome = RunOutcome(
            target: plan.target, result: result, exitCode: code, logFile: plan.verb == .build ? log.path : nil,
            workDirectory: keep ? workspace.directory : nil, seconds: seconds(), message: message ?? stall?.summary,
            artifact: result == .succeeded && plan.verb == .build && !plan.family.isBase ? plan.outputDirectory : nil,
            stepsPerformed: performed)
        outcome.stall = stall
        outcome.isoBytesUploaded = steps?.isoBytesUploaded.load(ordering: .relaxed) ?? 0
        return outcome
    }
}
