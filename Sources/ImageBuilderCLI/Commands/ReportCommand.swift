import ArgumentParser
import ImageBuilderKit

/// Draws a saved run report again: CI can keep the JSON and make the picture later.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Draw a run's timeline (SVG) from its JSON report.",
        discussion: """
            Every build run writes output/logs/run-<run-id>.json and .svg (or into --log-dir); `--report FILE` writes the JSON \
            elsewhere too. The picture drawn here is byte for byte the one the run wrote.
            """)

    @Argument(help: "A run's JSON report.") var file: String
    @Option(help: ArgumentHelp("Where the SVG goes (default: the report's path with .svg).", valueName: "OUT")) var svg: String?

    func run() throws {
        let context = CommandContext.current
        let path = context.environment.absolute(file)
        let report = try RunReport.read(path)
        let out = context.environment.absolute(svg ?? (path.hasSuffix(".json") ? String(path.dropLast(5)) : path) + ".svg")
        if FileReader.isDirectory(out) { throw ConfigError.unusableOutput(option: "--svg", path: out, reason: "is a directory") }
        try FileWriter.write(TimelineSVG.render(report), to: out, mode: 0o644)
        context.output.line(out)
    }
}
