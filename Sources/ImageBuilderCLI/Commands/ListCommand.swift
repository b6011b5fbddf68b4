import ArgumentParser
import ImageBuilderKit

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List every target (the same list as `make help`).")

    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let context = CommandContext.current
        let loader = VarFileLoader()
        let layout = try RepoLayout.locate(in: context.environment)
        let matrix = TargetMatrix(catalog: try Catalog.load(layout, loader: loader))
        context.output.write(json ? try JSONText.encode(matrix.rows()) : matrix.text())
    }
}
