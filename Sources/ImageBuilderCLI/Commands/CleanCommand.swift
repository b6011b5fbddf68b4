import ArgumentParser
import ImageBuilderKit

struct CleanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clean",
        abstract: "Remove targets' local output, work directories and logs (never vCenter objects).")

    @OptionGroup var options: TargetOptions

    func run() throws {
        let context = CommandContext.current
        if try MAASImageTargets.verbs(in: options.targets, commandVerb: .clean) != nil { return try MAASImageTargets.clean(context) }
        let planner = try options.planner()
        let plans = try planner.plans(try planner.targets(options.targets, commandVerb: .clean))
        // A target being built is refused (exit 2 naming the run), never cleaned under it.
        let locks = try RunLocks.forCleaning(plans, layout: planner.layout)
        defer { locks.releaseAll() }
        let cleaner = Cleaner(layout: planner.layout)
        for plan in plans {
            let (removed, refused) = try cleaner.clean(plan)
            for path in removed { context.output.line("removed \(planner.layout.display(path))") }
            for path in refused {
                context.warn("\(plan.target): not removing \(path): it is outside \(planner.layout.display(planner.layout.outputDirectory))/")
            }
            if removed.isEmpty { context.output.line("\(plan.target): nothing to remove") }
        }
    }
}
