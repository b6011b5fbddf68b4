/// Runs planned packer invocations one after another (the parallel scheduler replaces this
/// loop; the per-build steps stay). Output lines are redacted, written to the build's log file
/// and handed to `emit` prefixed with the target.
package struct PlanExecutor: Sendable {
    package let runner: any ProcessRunning
    package let environment: RunEnvironment
    package let layout: RepoLayout
    package let emit: @Sendable (String) -> Void

    package init(runner: any ProcessRunning, environment: RunEnvironment, layout: RepoLayout, emit: @escaping @Sendable (String) -> Void) {
        self.runner = runner
        self.environment = environment
        self.layout = layout
        self.emit = emit
    }

    /// Runs every plan; a failing one does not stop the others.
    package func run(_ plans: [(BuildPlan, ResolvedVariables)], loader: VarFileLoader) async throws -> [RunOutcome] {
        let runID = BuildWorkspace.makeRunID()
        var outcomes: [RunOutcome] = []
        for (plan, variables) in plans {
            try Task.checkCancellation()
            outcomes.append(try await run(plan, variables: variables, runID: runID, loader: loader))
        }
        return outcomes
    }

    private func run(_ plan: BuildPlan, variables: ResolvedVariables, runID: String, loader: VarFileLoader) async throws -> RunOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let workspace = BuildWorkspace(plan: plan, variables: variables, run: environment, runID: runID, layout: layout)
        let derived = try await workspace.create(loader: loader)
        let redact = Redactor(workspace.secrets + derived)
        let log = try LogFile(path: plan.verb == .build ? plan.logFile : workspace.directory + "/validate.log")
        let prefix = "[\(plan.target)] "
        let emit = self.emit
        emit(prefix + "packer \(plan.verb == .build ? "build" : "validate") -only=\(plan.builder) (log: \(layout.display(log.path)))")
        log.append("$ " + redact(plan.packer.displayCommand))
        let outcome = try await runner.run(workspace.command) { _, line in
            let safe = redact(line)
            log.append(safe)
            emit(prefix + safe)
        }
        try workspace.removeOutsideTemporaryDirectory()
        // Stopped by a signal: report the run as interrupted (exit 130), not as a failure.
        try Task.checkCancellation()
        if plan.verb == .validate { try FileWriter.remove(workspace.directory) }
        let seconds = Double((clock.now - start).components.seconds) + Double((clock.now - start).components.attoseconds) / 1e18
        let code: Int32 = switch outcome { case .exited(let c): c; case .signalled(let s): 128 + s }
        emit(prefix + (outcome.succeeded ? "succeeded" : "failed (packer exit \(code))"))
        return RunOutcome(target: plan.target, result: outcome.succeeded ? .succeeded : .failed, exitCode: code,
                          logFile: plan.verb == .build ? log.path : nil,
                          workDirectory: plan.verb == .build ? workspace.directory : nil, seconds: seconds)
    }
}
