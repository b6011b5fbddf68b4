import ArgumentParser
import ImageBuilderKit

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Run `packer validate` with each target's planned arguments.",
        discussion: "vSphere settings that are still empty get documented placeholders, so packer checks the rest.")

    @OptionGroup var options: TargetOptions

    func run() async throws {
        let context = CommandContext.current
        let planner = try options.planner()
        let plans = try planner.plans(try planner.targets(options.targets, commandVerb: .validate))
        try EnvironmentError.requirePacker(planner.packer)
        for (plan, _) in plans { for warning in plan.warnings { context.warn("\(plan.target): \(warning)") } }
        let executor = PlanExecutor(runner: context.processRunner, environment: context.environment,
                                    layout: planner.layout, emit: { context.errors.line($0) })
        let outcomes = try await executor.run(plans, loader: VarFileLoader())
        context.output.write(SummaryText.render(outcomes, layout: planner.layout))
        let status = RunOutcome.exitStatus(outcomes)
        if status != .success { throw ExitCode(status.code) }
    }
}
