import ArgumentParser
import ImageBuilderKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

/// Options of the commands that run packer (build, validate).
struct RunOptions: ParsableArguments {
    @Option(
        name: .short,
        help: ArgumentHelp(
            "Builds at once (default: make's -jN from MAKEFLAGS, a bare `make -j` meaning no limit, else the number of processors).",
            valueName: "N"))
    var jobs: Int?

    @Flag(name: .customLong("keep-going"), help: "Let the other builds run when one fails (the default).")
    var keepGoing = false

    @Flag(name: .customLong("fail-fast"), help: "Cancel the other builds when one fails.")
    var failFast = false

    @Option(help: ArgumentHelp("Write a JSON report of the run.", valueName: "FILE"))
    var report: String?

    @Option(name: .customLong("log-dir"), help: ArgumentHelp("Where the per-build logs go (default output/logs).", valueName: "DIR"))
    var logDirectory: String?

    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        start.duration(to: .now) / .seconds(1)
    }

    func validate() throws {
        if keepGoing && failFast { throw ValidationError("--keep-going and --fail-fast exclude each other") }
        if let jobs, jobs < 1 { throw ValidationError("-j takes a number of builds, 1 or more") }
    }

    /// Plans run, progress shown, summary and report written; throws the run's exit code.
    func run(_ plans: [BuildPlan], planner: Planner, context: CommandContext) async throws {
        let env = context.environment
        try checkOutputs(env)
        // Before anything else: this run's targets, VM names and bases (exit 2 naming the
        // holder if another run has one).
        let locks = try RunLocks.acquire(plans, layout: planner.layout, runID: planner.runID)
        var started = false
        // Refused before any build started: nothing of this run is left behind.
        defer { started ? locks.releaseAll() : locks.discard() }
        for plan in plans { for warning in plan.warnings { context.warn("\(plan.target): \(warning)") } }
        let asks = try Self.requireTerminalForPrompts(planner: planner, context: context)
        let limit = ConcurrencyLimit.resolve(
            explicit: jobs, makeflags: env["MAKEFLAGS"], builds: plans.count,
            processors: ProcessInfo.processInfo.activeProcessorCount)
        let progress = Progress.make(for: context, targets: plans.map(\.target), plain: asks)
        var processRunner = context.processRunner
        if asks, processRunner is SubprocessRunner {
            // Each packer gets its own pseudo-terminal; prompts queue for the user's terminal.
            let gate = PromptGate(progress: progress, terminal: context.errors)
            processRunner = PTYProcessRunner { label, prompt in await gate.ask(label, prompt) }
        }
        // Each build's stages, timed from here, for the report and the run's timeline picture.
        let timelineOrigin = ContinuousClock.now
        let startedAt = RunTimeline.timestamp()
        let timeline = TimelineRecorder(origin: timelineOrigin)
        let show = progress.observe
        let observe: BuildObserver = { event in
            timeline.record(event)
            show(event)
        }
        let runner = BuildRunner(
            runner: processRunner, helpers: context.helperRunner, environment: env, layout: planner.layout,
            runID: planner.runID, logDirectory: logDirectory.map(env.absolute), observe: observe, warn: context.warn,
            contactsVCenter: context.contactsVCenter, locks: locks)
        // A clone whose base is neither on vCenter nor built in this run: exit 2, nothing started.
        do {
            try await runner.vsphere?.checkBases(plans, layout: planner.layout, locks: locks)
            try await BaseGate.checkBeforeRun(plans, layout: planner.layout)
        } catch {
            await runner.vsphere?.close()
            throw error
        }
        let jobserver = jobs == nil ? Jobserver.fromMakeflags(env["MAKEFLAGS"]) : nil
        let scheduler = BuildScheduler(runner: runner, limit: limit, failFast: failFast, jobserver: jobserver)
        started = true
        let ran = await progress.during { await scheduler.run(plans) }
        let outcomes = ran.map { outcome in
            var outcome = outcome
            outcome.stages = timeline.spans(for: outcome.target)
            return outcome
        }
        await runner.vsphere?.close()
        let interrupted = Task.isCancelled
        let status = RunOutcome.exitStatus(outcomes, interrupted: interrupted)
        let document = RunReport(
            runID: runner.runID, startedAt: startedAt, seconds: Self.seconds(since: timelineOrigin), jobs: limit,
            exitCode: status.code, interrupted: interrupted, orchestratorCPUSeconds: Self.ownCPUSeconds(), builds: outcomes,
            isoBytesUploaded: outcomes.reduce(0) { $0 + $1.isoBytesUploaded })
        var summary = SummaryText.render(outcomes, layout: planner.layout)
        if plans.contains(where: { $0.verb == .build }) {
            let logs = logDirectory.map(env.absolute) ?? Paths.dirname(plans[0].logFile)
            let svg = try RunTimeline.write(document, to: logs)
            summary += "timeline: \(planner.layout.display(svg))\n"
        }
        context.output.write(summary)
        if let report { try FileWriter.write(try document.json(), to: env.absolute(report), mode: 0o644) }
        if status != .success { throw ExitCode(status.code) }
    }
}

extension RunOptions {
    /// --report and --log-dir must be writable places, checked before anything starts.
    func checkOutputs(_ env: RunEnvironment) throws {
        if let report {
            let path = env.absolute(report)
            if FileReader.isDirectory(path) { throw ConfigError.unusableOutput(option: "--report", path: path, reason: "is a directory") }
            if !FileReader.isDirectory(Paths.dirname(path)) {
                throw ConfigError.unusableOutput(option: "--report", path: path, reason: "its folder \(Paths.dirname(path)) does not exist")
            }
        }
        if let logDirectory {
            let path = env.absolute(logDirectory)
            if FileReader.exists(path) && !FileReader.isDirectory(path) {
                throw ConfigError.unusableOutput(option: "--log-dir", path: path, reason: "is a file, not a folder")
            }
        }
    }

    /// packer asks (-on-error=ask, -debug) only through a terminal: without one, refuse up front.
    @discardableResult
    static func requireTerminalForPrompts(planner: Planner, context: CommandContext) throws -> Bool {
        let flags = planner.inputs.packerFlags.items.compactMap { if case .other(let t) = $0 { t } else { nil } }
        let asks = planner.inputs.onErrorAsk || flags.contains("-on-error=ask")
        let debug = planner.inputs.debug || (flags.contains("-debug") || flags.contains("-debug=true"))
        guard asks || debug else { return false }
        if !context.input.isTerminal {
            throw PromptError.noTerminal(mode: asks ? "ON_ERROR_ASK=1 (-on-error=ask)" : "DEBUG=1 (-debug)")
        }
        return true
    }
}

/// Ask and debug modes need a terminal.
enum PromptError: UserFacingError {
    case noTerminal(mode: String)
    var exitStatus: ExitStatus { .badInput }
    var description: String {
        switch self {
        case .noTerminal(let mode): "\(mode): packer asks on a terminal, and there is none (stdin is not a TTY)"
        }
    }
    var hint: String? {
        "run it from a terminal, or use PACKER_FLAGS=-on-error=abort (keep the failed VM) or -on-error=cleanup (the default)"
    }
}
