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

    package init(runner: any ProcessRunning, environment: RunEnvironment, layout: RepoLayout,
                 runID: String = BuildWorkspace.makeRunID(), logDirectory: String? = nil, observe: @escaping BuildObserver,
                 warn: @escaping @Sendable (String) -> Void = { _ in }, contactsVCenter: Bool = true) {
        self.runner = runner
        self.environment = environment
        self.layout = layout
        self.runID = runID
        self.logDirectory = logDirectory
        self.observe = observe
        self.vsphere = contactsVCenter ? VSphereRun(runID: runID, warn: warn) : nil
    }

    /// Runs one build. A build from a base waits for the base's lock before it takes a job
    /// slot, so waiting never holds one of make's tokens.
    package func run(_ plan: BuildPlan, variables: ResolvedVariables, slots: JobSlots? = nil) async -> RunOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        func seconds() -> Double {
            let d = clock.now - start
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        var lock: FileLock?
        do {
            // A base build holds its lock; a build from a base waits for it (another process, or
            // this run, may be building it) and then reads the base's stored SSH secret.
            if plan.verb == .build, let secretFile = plan.sshSecretFile {
                let lockPath = FileLock.basePath(layout: layout, baseOutputDirectory: Paths.dirname(secretFile))
                let observe = self.observe
                lock = try await FileLock.acquire(lockPath, exclusive: plan.family.isBase) {
                    observe(.waiting(target: plan.target, reason: "its base is being built (\(Paths.basename(lockPath)))"))
                }
            }
            let observe = self.observe
            let slot = try await slots?.acquire { observe(.waiting(target: plan.target, reason: "a job slot from make")) }
            let outcome: Result<RunOutcome, any Error>
            do { outcome = .success(try await runPacker(plan, variables: variables, seconds: seconds)) } catch { outcome = .failure(error) }
            if let slot { await slots?.release(slot) }
            // The base lock is held until packer is done.
            return try withExtendedLifetime(lock) { try outcome.get() }
        } catch is CancellationError {
            return RunOutcome(target: plan.target, result: .cancelled, seconds: seconds(), message: "cancelled before packer started")
        } catch let error as any UserFacingError {
            return RunOutcome(target: plan.target, result: .failed, seconds: seconds(), message: "\(error)")
        } catch {
            return RunOutcome(target: plan.target, result: .failed, seconds: seconds(), message: "\(error)")
        }
    }

    private func runPacker(_ plan: BuildPlan, variables: ResolvedVariables, seconds: () -> Double) async throws -> RunOutcome {
        if plan.verb == .build, let iso = plan.isoDownload {
            let observe = self.observe
            try await ISOCache.ensure(url: iso.url, path: iso.path) {
                observe(.stage(target: plan.target, "fetching the ISO into the cache"))
                observe(.line(target: plan.target, "fetching \(iso.url) into \(iso.path)"))
            }
        }
        let workspace = BuildWorkspace(plan: plan, variables: variables, run: environment, runID: runID, layout: layout)
        let derived = try await workspace.create(loader: VarFileLoader())
        let redact = Redactor(workspace.secrets + derived)
        let logPath = plan.verb == .build
            ? (logDirectory.map { $0 + "/" + Paths.basename(plan.logFile) } ?? plan.logFile)
            : workspace.directory + "/validate.log"
        let log = try LogFile(path: logPath)
        log.append("$ " + redact(ShellWords.join([workspace.command.executable] + workspace.command.arguments)))
        observe(.started(target: plan.target, logFile: log.path))
        let observe = self.observe
        let target = plan.target
        let note: @Sendable (String) -> Void = { text in
            let safe = redact("image-builder: " + text)
            log.append(safe)
            observe(.line(target: target, safe))
        }
        // vSphere builds: the run's session, the base of a clone, whether the VM existed.
        var steps: VSphereBuildSteps?
        var existedBefore = true
        if plan.verb == .build, plan.family.usesVSphere, plan.vmName != nil, let vsphere {
            do {
                let settings = try VSphereSettings(lookup: { variables.value($0) }, environment: environment, consulted: [])
                let vsphereSteps = VSphereBuildSteps(client: try await vsphere.client(for: settings), plan: plan, variables: variables,
                                                       layout: layout, environment: environment, note: note)
                existedBefore = try await vsphereSteps.prepare()
                steps = vsphereSteps
            } catch let error as VSphereError {
                throw VSphereFailure(error)
            }
        }
        let watcher = steps
        let status = try await runner.run(workspace.command) { _, line in
            let safe = redact(StageParser.stripANSI(line))
            log.append(safe)
            if let stage = StageParser.stage(in: safe) { observe(.stage(target: target, stage)) }
            observe(.line(target: target, safe))
            watcher?.observe(safe)
        }
        var message: String?
        if let steps {
            if status.succeeded && !Task.isCancelled {
                do {
                    observe(.stage(target: target, "vSphere steps after packer"))
                    message = try await steps.finish(runDirectory: workspace.directory)
                } catch {
                    note("after packer: \(error)")
                    try? workspace.removeOutsideTemporaryDirectory()
                    return RunOutcome(target: plan.target, result: .failed, exitCode: 1, logFile: log.path, workDirectory: workspace.directory,
                                      seconds: seconds(), message: "after packer: \((error as? VSphereError).map { "\($0)" } ?? "\(error)")")
                }
            } else {
                message = await steps.cleanUp(existedBefore: existedBefore)
            }
        }
        try? workspace.removeOutsideTemporaryDirectory()
        if plan.verb == .validate { _ = try? FileWriter.remove(workspace.directory) }
        let code: Int32 = switch status { case .exited(let c): c; case .signalled(let s): 128 + s }
        let result: RunOutcome.Result = Task.isCancelled ? .cancelled : (status.succeeded ? .succeeded : .failed)
        return RunOutcome(
            target: plan.target, result: result, exitCode: code, logFile: plan.verb == .build ? log.path : nil,
            workDirectory: plan.verb == .build ? workspace.directory : nil, seconds: seconds(), message: message,
            artifact: result == .succeeded && plan.verb == .build && !plan.family.isBase ? plan.outputDirectory : nil)
    }
}
