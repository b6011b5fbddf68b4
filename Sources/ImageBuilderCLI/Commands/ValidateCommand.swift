import ArgumentParser
import ImageBuilderKit

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Run `packer validate` with each target's planned arguments.",
        discussion: "vSphere settings that are still empty get documented placeholders, so packer checks the rest.")

    @OptionGroup var options: TargetOptions
    @OptionGroup var run: RunOptions

    func run() async throws {
        let context = CommandContext.current
        if try MAASImageTargets.verbs(in: options.targets, commandVerb: .validate) != nil {
            return try await MAASImageTargets.run(.validate, context: context)
        }
        let planner = try options.planner(runID: BuildWorkspace.makeRunID())
        let plans = try planner.plans(try planner.targets(options.targets, commandVerb: .validate))
        try EnvironmentError.requirePacker(planner.packer)
        try await run.run(plans, planner: planner, context: context)
    }
}
