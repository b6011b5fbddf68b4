import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ImageBuilderKit

/// Options of the commands that run packer (build, validate).
struct RunOptions: ParsableArguments {
    @Option(name: .short, help: ArgumentHelp(
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

    func validate() throws {
        if keepGoing && failFast { throw ValidationError("--keep-going and --fail-fast exclude each other") }
        if let jobs, jobs < 1 { throw ValidationError("-j takes a number of builds, 1 or more") }
    }

    /// Plans run, progress shown, summary and report written; throws the run's exit code.
    func run(_ plans: [(BuildPlan, ResolvedVariables)], planner: Planner, context: CommandContext) async throws {
        let env = context.environment
        for (plan, _) in plans { for warning in plan.warnings { context.warn("\(plan.target): \(warning)") } }
        let limit = ConcurrencyLimit.resolve(explicit: jobs, makeflags: env["MAKEFLAGS"], builds: plans.count,
                                             processors: ProcessInfo.processInfo.activeProcessorCount)
        let progress = Progress.make(for: context, targets: plans.map(\.0.target))
        let runner = BuildRunner(runner: context.processRunner, environment: env, layout: planner.layout,
                                 logDirectory: logDirectory.map(env.absolute), observe: progress.observe)
        let jobserver = jobs == nil ? Jobserver.fromMakeflags(env["MAKEFLAGS"]) : nil
        let scheduler = BuildScheduler(runner: runner, limit: limit, failFast: failFast, jobserver: jobserver)
        let outcomes = await progress.during { await scheduler.run(plans) }
        let interrupted = Task.isCancelled
        let status = RunOutcome.exitStatus(outcomes, interrupted: interrupted)
        context.output.write(SummaryText.render(outcomes, layout: planner.layout))
        if let report {
            let document = RunReport(runID: runner.runID, jobs: limit, exitCode: status.code, interrupted: interrupted, builds: outcomes)
            try FileWriter.write(try JSONText.encode(document), to: env.absolute(report), mode: 0o644)
        }
        if status != .success { throw ExitCode(status.code) }
    }
}

/// The JSON form of a run (`--report`).
struct RunReport: Encodable {
    let runID: String
    let jobs: Int
    let exitCode: Int32
    let interrupted: Bool
    let builds: [RunOutcome]
}
