import ArgumentParser
import ImageBuilderKit
import Logging

struct BuildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build targets with packer, in parallel.",
        discussion: """
            Every target is planned and checked before the first packer starts; bad input starts nothing (exit 2).
            An -all target is one run. Under make (`make -jN`), make's jobserver limits builds across processes.
            """)

    @OptionGroup var options: TargetOptions
    @OptionGroup var run: RunOptions

    func run() async throws {
        let context = CommandContext.current
        if try MAASImageTargets.verbs(in: options.targets, commandVerb: .build) != nil {
            return try await MAASImageTargets.run(.build, context: context)
        }
        let logger = Logger(label: "image-builder")
        let planner = try options.planner(runID: BuildWorkspace.makeRunID())
        planner.refusesMissingSettings = true
        let plans = try planner.plans(try planner.targets(options.targets, commandVerb: .build))
        try EnvironmentError.requirePacker(planner.packer)
        logger.debug("planned", metadata: ["targets": "\(plans.count)"])
        try await run.run(plans, planner: planner, context: context)
    }
}
