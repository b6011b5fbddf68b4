import ArgumentParser
import ImageBuilderKit

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show each variable's effective value, the file or flag that set it, and what it overrode.",
        discussion: "Secret values print as <redacted>.")

    @Argument(help: "The target.") var target: String
    @Argument(help: "Variables to explain (default: all).") var variables: [String] = []
    @Option(name: .customLong("var-file"), help: ArgumentHelp("A var file for one OS only.", valueName: "OS=FILE"))
    var varFiles: [String] = []
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let context = CommandContext.current
        let planner = try Planner(environment: context.environment, varFileOptions: varFiles)
        let (plan, vars) = try planner.single(target)
        let rows = try Explainer.explain(plan, vars, layout: planner.layout, names: variables)
        context.output.write(json ? try JSONText.encode(rows) : ExplainText.render(plan: plan, rows: rows))
    }
}
