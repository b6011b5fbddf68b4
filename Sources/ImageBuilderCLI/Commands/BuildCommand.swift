import ArgumentParser
import ImageBuilderKit
import Logging

struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build targets with packer.",
        discussion: "Every target is planned and checked before the first packer starts; bad input starts nothing (exit 2).")

    @OptionGroup var options: TargetOptions

    func run() async throws {
        let context = CommandContext.current
        let logger = Logger(label: "image-builder")
        let planner = try options.planner()
        planner.refusesMissingSettings = true
        let plans = try planner.plans(try planner.targets(options.targets, commandVerb: .build))
        try EnvironmentError.requirePacker(planner.packer)
        logger.debug("planned", metadata: ["targets": "\(plans.count)"])
        for (plan, _) in plans { for warning in plan.warnings { context.warn("\(plan.target): \(warning)") } }
        let executor = PlanExecutor(runner: context.processRunner, environment: context.environment,
                                    layout: planner.layout, emit: { context.errors.line($0) })
        let outcomes = try await executor.run(plans, loader: VarFileLoader())
        context.output.write(SummaryText.render(outcomes, layout: planner.layout))
        let status = RunOutcome.exitStatus(outcomes)
        if status != .success { throw ExitCode(status.code) }
    }
}
