import Dispatch
import ImageBuilderKit
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@main
enum EntryPoint {
    /// Synchronous on purpose: `list`, `plan`, `explain` and `clean` never start the
    /// concurrency runtime's threads; `build` and `validate` run on it.
    static func main() {
        // A write to a closed pipe must be an error (EPIPE), not death: this process owns
        // children it has to clean up. Children start with default dispositions (Subprocess).
        signal(SIGPIPE, SIG_IGN)
        let context = CommandContext.current  // the default: the live context, built once
        let level: Logger.Level = context.environment.isOn("DEBUG") ? .trace : .notice
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch ImageBuilderCommand.parse(arguments, context: context) {
        case .done(let code):
            exit(code)
        case .sync(let command):
            exit(ImageBuilderCommand.runSync(command, context: context))
        case .async:
            Task {
                // Parsed again inside the task: a parsed command is not Sendable.
                let code = try? await Interrupts.cancelling {
                    await ImageBuilderCommand.run(arguments, context: context)
                }
                exit(code ?? ExitStatus.interrupted.code)
            }
            dispatchMain()
        }
    }
}
