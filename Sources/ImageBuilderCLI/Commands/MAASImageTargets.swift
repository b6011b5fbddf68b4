import ArgumentParser
import ImageBuilderKit

/// The MAAS ESXi image's targets (`[build-|validate-|clean-]maas-esxi`) beside the node-OVA
/// ones: their own planner and runner; a command takes one kind or the other.
enum MAASImageTargets {
    /// The verbs of the MAAS names in `names`, or nil when there are none. Mixing them with
    /// node-OVA targets, or a verb that is not the command's, is exit 2.
    static func verbs(in names: [String], commandVerb: Verb?) throws -> [Verb]? {
        var verbs: [Verb] = []
        for name in names {
            guard let found = ESXiPlanner.verb(of: name) else { continue }
            if let commandVerb, let given = found, given != commandVerb {
                throw CatalogError.wrongVerb(target: name, expected: commandVerb.rawValue)
            }
            let verb = found ?? commandVerb ?? .build
            if !verbs.contains(verb) { verbs.append(verb) }
        }
        guard !verbs.isEmpty else { return nil }
        if let other = names.first(where: { ESXiPlanner.verb(of: $0) == nil }) {
            throw ValidationError("\(other): node-OVA targets and maas-esxi run as separate commands")
        }
        return verbs
    }

    static func planner(runID: String = BuildPlan.runIDPlaceholder) throws -> ESXiPlanner {
        let environment = CommandContext.current.environment
        let layout = try RepoLayout.locate(in: environment)
        return ESXiPlanner(
            environment: environment, layout: layout, packer: PackerLocator.locate(environment, layout: layout), runID: runID)
    }

    /// build and validate: checks, then runs; a failure throws its exit status.
    static func run(_ verb: Verb, context: CommandContext) async throws {
        let runID = BuildWorkspace.makeRunID()
        let planner = try planner(runID: runID)
        let plan = try planner.plan(verb)
        try EnvironmentError.requirePacker(planner.packer)
        let tools = try ESXiTools.locate(context.environment, processes: context.helperRunner)
        for warning in plan.warnings { context.warn("\(plan.target): \(warning)") }
        let build = ESXiBuild(
            processes: context.processRunner, tools: tools, environment: context.environment, runID: runID,
            stage: { context.errors.line("\(plan.target): \($0)") })
        if verb == .validate {
            try await build.validate(plan)
            context.output.line("\(plan.target): the template is valid (packer validate)")
            return
        }
        let lock = try ESXiBuild.lockOutput(plan, layout: planner.layout, runID: runID)
        context.errors.line("\(plan.target): ESXi \(plan.release) with \(plan.accelerator.kind.rawValue) (\(plan.accelerator.reason))")
        let outcome: ESXiBuild.Outcome
        do {
            defer { withExtendedLifetime(lock) {} }
            outcome = try await build.build(plan)
        } catch is CancellationError {
            context.errors.line("\(plan.target): interrupted; work directory kept: \(plan.workDirectory)")
            throw ExitCode(ExitStatus.interrupted.code)
        } catch {
            if Task.isCancelled { throw ExitCode(ExitStatus.interrupted.code) }
            context.errors.line("\(plan.target): work directory kept: \(plan.workDirectory)")
            throw error
        }
        let display = { (path: String) in planner.layout.display(path) }
        context.output.line(
            "\(plan.target): \(display(outcome.image)) (\(outcome.compressedBytes) bytes, sha256 \(outcome.sha256)); "
                + "publish with: image-builder maas publish \(display(outcome.image)) --name \(plan.maasName)")
    }

    static func clean(_ context: CommandContext) throws {
        let planner = try planner()
        let layout = planner.layout
        // Only what the build made: its output folders, work directories and logs.
        let lock = try FileLock.tryAcquire(layout.outputDirectory + "/.locks/maas-esxi-clean.lock", exclusive: true)
        defer { withExtendedLifetime(lock) {} }
        var removed = 0
        for name in (FileReader.list(layout.outputDirectory) ?? []).sorted() where name.hasPrefix("esxi-") {
            if FileLock.isHeldExclusively(layout.outputDirectory + "/.locks/\(name).lock") {
                context.warn("\(name): being built; not removed")
                continue
            }
            if (try? FileWriter.remove(layout.outputDirectory + "/" + name)) == true {
                context.output.line("removed \(layout.display(layout.outputDirectory + "/" + name))")
                removed += 1
            }
        }
        let locks = (FileReader.list(layout.outputDirectory + "/.locks") ?? []).filter { $0.hasPrefix("esxi-") }
        let building = locks.contains { FileLock.isHeldExclusively(layout.outputDirectory + "/.locks/" + $0) }
        if building { context.warn("a maas-esxi build is running: work directories not removed") }
        for name in (FileReader.list(layout.workRoot) ?? []).sorted() where !building && name.hasPrefix(ESXiPlanner.name + "-") {
            if (try? FileWriter.remove(layout.workRoot + "/" + name)) == true {
                context.output.line("removed \(layout.display(layout.workRoot + "/" + name))")
                removed += 1
            }
        }
        if removed == 0 { context.output.line("clean-maas-esxi: nothing to remove") }
    }
}
