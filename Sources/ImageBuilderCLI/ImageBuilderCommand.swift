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
        subcommands: [
            ListCommand.self, PlanCommand.self, ExplainCommand.self, ValidateCommand.self,
            BuildCommand.self, CleanCommand.self, SecretCommand.self, SimCommand.self, VSphereCommand.self, OVACommand.self,
            OpenStackCommand.self, MAASCommand.self, OneCommand.self, ReportCommand.self, BootTestCommand.self,
        ]
    )

    /// A parsed command line: a synchronous command, an asynchronous one, or an exit code
    /// already decided (help, usage errors).
    enum Parsed {
        case sync(any ParsableCommand)
        case async(any AsyncParsableCommand)
        case done(Int32)
    }

    static func parse(_ arguments: [String], context: CommandContext) -> Parsed {
        do {
            let command = try parseAsRoot(arguments)
            if let asyncCommand = command as? any AsyncParsableCommand, !(command is ImageBuilderCommand) {
                return .async(asyncCommand)
            }
            return .sync(command)
        } catch {
            return .done(exitCode(for: error, arguments: arguments, context: context))
        }
    }

    /// Parses and runs one command line; returns the process exit code. Library errors are
    /// mapped here and only here.
    static func run(_ arguments: [String], context: CommandContext) async -> Int32 {
        switch parse(arguments, context: context) {
        case .done(let code): return code
        case .sync(let command): return runSync(command, context: context)
        case .async(let command): return await runAsync(command, arguments: arguments, context: context)
        }
    }

    /// Runs an asynchronous command (build, validate) on the concurrency runtime.
    static func runAsync(_ command: any AsyncParsableCommand, arguments: [String], context: CommandContext) async -> Int32 {
        var command = command
        return await CommandContext.$current.withValue(context) {
            do {
                try await command.run()
                return ExitStatus.success.code
            } catch {
                return exitCode(for: error, arguments: arguments, context: context)
            }
        }
    }

    /// Runs a synchronous command without starting the concurrency runtime (start-up time:
    /// goal P1).
    static func runSync(_ command: any ParsableCommand, context: CommandContext) -> Int32 {
        var command = command
        return CommandContext.$current.withValue(context) {
            do {
                try command.run()
                return ExitStatus.success.code
            } catch {
                return exitCode(for: error, arguments: [], context: context)
            }
        }
    }

    /// Reports an error and returns its exit code.
    static func exitCode(for error: any Error, arguments: [String], context: CommandContext) -> Int32 {
        switch error {
        case let error as any UserFacingError:
            Console.report(error, to: context.errors)
            return error.exitStatus.code
        case is CancellationError:
            return ExitStatus.interrupted.code
        case let exit as ExitCode:
            return exit.rawValue
        default:
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
