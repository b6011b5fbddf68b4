import ArgumentParser
import ImageBuilderKit

struct ImageBuilderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image-builder",
        abstract: "Build Kubernetes node OVAs and vSphere templates with packer.",
        discussion: """
            Targets are make-target names: [build-|validate-|clean-]node-ova-<family>-<os|all>.
            Families: \(Family.allCases.map(\.rawValue).joined(separator: ", ")).

            Exit codes:
            \(ExitStatus.allCases.map { "  \($0.code)  \($0.meaning)" }.joined(separator: "\n"))

            Environment:
            \(EnvironmentVariable.allCases.map { "  \($0.rawValue): \($0.meaning)" }.joined(separator: "\n"))
            """,
        subcommands: [ListCommand.self, PlanCommand.self, ExplainCommand.self, ValidateCommand.self,
                      BuildCommand.self, CleanCommand.self]
    )

    /// Parses and runs one command line; returns the process exit code. Library errors are
    /// mapped here and only here.
    static func run(_ arguments: [String], context: CommandContext) async -> Int32 {
        await CommandContext.$current.withValue(context) {
            do {
                var command = try parseAsRoot(arguments)
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
                return ExitStatus.success.code
            } catch let error as any UserFacingError {
                Console.report(error, to: context.errors)
                return error.exitStatus.code
            } catch is CancellationError {
                return ExitStatus.interrupted.code
            } catch let exit as ExitCode {
                return exit.rawValue
            } catch {
                let code = exitCode(for: error)
                if code == .success {
                    context.output.line(fullMessage(for: error))
                    return 0
                }
                context.errors.line("image-builder: error: " + Console.oneLine(message(for: error)))
                context.errors.line("  hint: see `image-builder \(arguments.first(where: { !$0.hasPrefix("-") }) ?? "") --help`")
                return ExitStatus.badInput.code
            }
        }
    }
}
