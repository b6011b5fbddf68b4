import ArgumentParser
import ImageBuilderKit

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show exactly what each build would run: packer argv, var files, directories.",
        discussion: "Pure: writes no file and starts no process. Environment values are never shown, only names.")

    @OptionGroup var options: TargetOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let context = CommandContext.current
        let planner = try options.planner()
        let plans = try planner.plans(try planner.targets(options.targets, commandVerb: nil)).map(\.0)
        if json {
            context.output.write(try JSONText.encode(PlanDocument(root: planner.layout.root, plans: plans)))
        } else {
            context.output.write(plans.map { PlanText.render($0, layout: planner.layout) }.joined(separator: "\n"))
        }
    }
}

/// The JSON form of `plan`.
struct PlanDocument: Encodable {
    let root: String
    let plans: [BuildPlan]
}
