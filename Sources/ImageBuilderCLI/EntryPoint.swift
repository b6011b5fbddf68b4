import ImageBuilderKit
import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@main
enum EntryPoint {
    static func main() async {
        let context = CommandContext.live()
        let level: Logger.Level = context.environment.isOn("DEBUG") ? .trace : .notice
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let code = await ImageBuilderCommand.run(Array(CommandLine.arguments.dropFirst()), context: context)
        exit(code)
    }
}
