import ArgumentParser
import ImageBuilderKit

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show exactly what each build would run: packer argv, var files, directories.",
        discussion: "Pure: writes no file and starts no process. Environment values are never shown, only names.")

    @OptionGroup var options: TargetOptions
    @Flag(help: "Print JSON.") var json = false
    @Option(help: ArgumentHelp("Print the build matrix for a distributed runner: github-matrix or k8s-jobs.", valueName: "FORMAT"))
    var format: String?
    @Option(help: "k8s-jobs: the container image that has image-builder and packer.") var image = "image-builder:latest"
    @Option(help: "k8s-jobs: the Secret holding vsphere.json (the var files).") var secret = "image-builder-var-files"

    func validate() throws {
        if let format, !["github-matrix", "k8s-jobs"].contains(format) {
            throw ValidationError("--format takes github-matrix or k8s-jobs, not '\(format)'")
        }
    }

    func run() throws {
        let context = CommandContext.current
        if let verbs = try MAASImageTargets.verbs(in: options.targets, commandVerb: nil) {
            let planner = try MAASImageTargets.planner()
            let plans = try verbs.map { try planner.plan($0) }
            context.output.write(
                json ? try JSONText.encode(plans) : plans.map { ESXiPlanText.render($0, layout: planner.layout) }.joined(separator: "\n"))
            return
        }
        let planner = try options.planner()
        let plans = try planner.plans(try planner.targets(options.targets, commandVerb: nil))
        if format == "github-matrix" {
            context.output.write(try ScaleOutText.githubMatrix(plans))
        } else if format == "k8s-jobs" {
            context.output.write(ScaleOutText.kubernetesJobs(plans, image: image, secret: secret))
        } else if json {
            context.output.write(try PlanDocument(root: planner.layout.root, plans: plans).json())
        } else {
            context.output.write(plans.map { PlanText.render($0, layout: planner.layout) }.joined(separator: "\n"))
        }
    }
}
