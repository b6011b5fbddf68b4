import ArgumentParser
import ImageBuilderKit

/// Options every target-taking command shares.
struct TargetOptions: ParsableArguments {
    @Argument(help: "Targets: [build-|validate-|clean-]node-ova-<family>-<os|all>.")
    var targets: [String]

    @Option(
        name: .customLong("var-file"),
        help: ArgumentHelp(
            "A var file for one OS only, applied after PACKER_VAR_FILES (repeatable).", valueName: "OS=FILE"))
    var varFiles: [String] = []

    /// A planner for the current context; all input checks happen here.
    /// `runID`: the run the plans are for (build, validate); plan and explain show `<run-id>`.
    func planner(runID: String = BuildPlan.runIDPlaceholder) throws -> Planner {
        try Planner(environment: CommandContext.current.environment, varFileOptions: varFiles, runID: runID)
    }
}
