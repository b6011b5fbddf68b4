import ArgumentParser
import ImageBuilderKit

struct SimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "The embedded vCenter simulator (govmomi's, on 127.0.0.1 with its own CA).",
        subcommands: [Start.self, Stop.self, Env.self])

    static func simulator() throws -> Simulator {
        let environment = CommandContext.current.environment
        return Simulator(layout: try RepoLayout.locate(in: environment), environment: environment)
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "start", abstract: "Build it if needed, start it in the background, write output/sim/vsphere.json.")

        func run() async throws {
            let simulator = try SimCommand.simulator()
            let endpoint = try await simulator.start()
            let output = CommandContext.current.output
            output.line("simulator: https://\(endpoint.host)/sdk (pid \(endpoint.pid), CA \(simulator.layout.display(endpoint.caFile)))")
            output.line("var file: \(simulator.layout.display(simulator.varFile)) (0600); point builds at it: eval \"$(image-builder sim env)\"")
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop the running simulator.")

        func run() async throws {
            let stopped = try await SimCommand.simulator().stop()
            CommandContext.current.output.line(stopped ? "simulator stopped" : "no simulator was running")
        }
    }

    struct Env: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "env", abstract: "Print shell lines that point `make build-…` at the running simulator.")

        func run() throws {
            let simulator = try SimCommand.simulator()
            guard simulator.running() != nil else {
                throw SimulatorError.notRunning
            }
            CommandContext.current.output.write(simulator.environmentLines())
        }
    }
}
