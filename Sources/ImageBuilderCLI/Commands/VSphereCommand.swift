import ArgumentParser
import ImageBuilderKit
import VSphereKit

struct VSphereCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vsphere",
        abstract: "Work with vCenter directly: list, snapshot, clone, template, cloud-init, deploy, export, publish, destroy, the ISO cache.",
        discussion: "The connection comes from the same var files as builds: packer/ova/vsphere.json, PACKER_VAR_FILES, "
            + "then --var-file; the password may come from VSPHERE_PASSWORD.",
        subcommands: [
            List.self, Snapshot.self, Clone.self, Template.self, CloudInit.self, Deploy.self, Export.self,
            Publish.self, Destroy.self, ISO.self,
        ])
}

/// The connection options every `vsphere` subcommand shares.
struct VSphereOptions: ParsableArguments {
    @Option(
        name: .customLong("var-file"),
        help: ArgumentHelp(
            "A var file with the connection, applied after PACKER_VAR_FILES (repeatable).", valueName: "FILE"))
    var varFiles: [String] = []

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("PEM CA certificate(s) to trust for vCenter.", valueName: "FILE"))
    var caFile: String?

    func settings() throws -> VSphereSettings {
        let environment = CommandContext.current.environment
        return try VSphereSettings.load(
            layout: try RepoLayout.locate(in: environment), environment: environment,
            varFiles: varFiles, caFile: caFile)
    }

    /// Runs `body` with one client (one session), logged out afterwards.
    func with<T: Sendable>(_ body: (VSphereClient, VSphereSettings) async throws -> T) async throws -> T {
        let settings = try settings()
        let context = CommandContext.current
        return try await VSphereConnector.with(settings, userAgent: "image-builder/vsphere", warn: context.warn) { client in
            try await body(client, settings)
        }
    }
}

extension VSphereCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ls", abstract: "List virtual machines and templates.")

        @OptionGroup var connection: VSphereOptions
        @Argument(help: "Only names containing this text.") var filter: String?

        func run() async throws {
            let rows = try await connection.with { client, _ in
                try await client.objects(
                    ofType: "VirtualMachine", ["name", "runtime.powerState", "config.template", "snapshot", "config.hardware.device"]
                )
                .map { vm, properties in
                    (
                        name: properties["name"]?.string ?? vm.value, id: vm.value,
                        state: properties["config.template"]?.string == "true" ? "template" : properties["runtime.powerState"]?.string ?? "",
                        snapshots: VSphereCommand.countSnapshots(properties["snapshot"]?.node),
                        cdroms: VSphereClient.cdroms(in: properties["config.hardware.device"]?.node)
                    )
                }
            }
            let output = CommandContext.current.output
            for row in rows.sorted(by: { ($0.name, $0.id) < ($1.name, $1.id) }) where filter.map({ row.name.contains($0) }) ?? true {
                let cdrom = row.cdroms.isEmpty ? "none" : row.cdroms.map(\.summary).joined(separator: ", ")
                output.line("\(row.name)\t\(row.id)\t\(row.state)\t\(row.snapshots) snapshot\(row.snapshots == 1 ? "" : "s")\tcdrom: \(cdrom)")
            }
        }
    }

    static func countSnapshots(_ info: XMLNode?) -> Int {
        func count(_ nodes: [XMLNode]) -> Int { nodes.reduce(0) { $0 + 1 + count($1.children("childSnapshotList")) } }
        return count(info?.children("rootSnapshotList") ?? [])
    }

    struct Snapshot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snapshot", abstract: "Create (default), list, revert to or remove a VM's snapshot.")

        @OptionGroup var connection: VSphereOptions
        @Argument(help: "The VM (name or inventory path).") var vm: String
        @Argument(help: "The snapshot's name.") var name: String?
        @Flag(help: "List the snapshots.") var list = false
        @Flag(help: "Revert to the snapshot.") var revert = false
        @Flag(help: "Remove the snapshot.") var remove = false

        func validate() throws {
            if [list, revert, remove].filter({ $0 }).count > 1 { throw ValidationError("use one of --list, --revert, --remove") }
            if !list && name == nil { throw ValidationError("a snapshot name is needed (or --list)") }
        }

        func run() async throws {
            let output = CommandContext.current.output
            try await connection.with { client, settings in
                let machine = try await client.requireVM(vm)
                if list {
                    let (all, current) = try await client.snapshots(machine)
                    for snapshot in all {
                        output.line(snapshot.path.joined(separator: "/") + (snapshot.reference == current ? "\t(current)" : ""))
                    }
                    return
                }
                guard let name else { return }
                if revert || remove {
                    guard let snapshot = try await client.snapshot(machine, named: name) else {
                        throw VSphereStepError.vcenter(.notFound(host: settings.server, what: "snapshot \(name) of \(vm)"))
                    }
                    if revert { try await client.revert(to: snapshot) } else { try await client.removeSnapshot(snapshot) }
                    output.line("\(vm): \(revert ? "reverted to" : "removed") snapshot \(name)")
                } else {
                    let snapshot = try await client.createSnapshot(machine, name: name, description: "image-builder")
                    output.line("\(vm): snapshot \(name) (\(snapshot.value))")
                }
            }
        }
    }

    struct Clone: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "clone", abstract: "Clone a VM or template.")

        @OptionGroup var connection: VSphereOptions
        @Argument(help: "The source VM or template.") var source: String
        @Argument(help: "The new VM's name.") var name: String
        @Flag(help: "A linked clone (from --snapshot, else the current snapshot).") var linked = false
        @Option(help: "The snapshot to clone from.") var snapshot: String?
        @Flag(name: .customLong("power-on"), help: "Power the clone on.") var powerOn = false
        @Flag(name: .customLong("as-template"), help: "Make the clone a template.") var asTemplate = false

        func run() async throws {
            let output = CommandContext.current.output
            try await connection.with { client, settings in
                let vm = try await client.requireVM(source)
                var options = VSphereClient.CloneOptions(linked: linked, powerOn: powerOn, template: asTemplate)
                if let snapshot {
                    guard let found = try await client.snapshot(vm, named: snapshot) else {
                        throw VSphereStepError.vcenter(.notFound(host: settings.server, what: "snapshot \(snapshot) of \(source)"))
                    }
                    options.snapshot = found
                }
                let clone = try await client.clone(vm, as: name, options)
                output.line("\(name) (\(clone.value)): \(linked ? "linked " : "")clone of \(source)")
            }
        }
    }

    struct Template: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "template", abstract: "Turn a powered-off VM into a template (or back with --undo).")

        @OptionGroup var connection: VSphereOptions
        @Argument(help: "The VM.") var vm: String
        @Flag(help: "Turn the template back into a VM.") var undo = false

        func run() async throws {
            let output = CommandContext.current.output
            try await connection.with { client, _ in
                let machine = try await client.requireVM(vm)
                if undo { try await client.markAsVirtualMachine(machine) } else { try await client.markAsTemplate(machine) }
                output.line("\(vm): \(undo ? "a virtual machine again" : "now a template")")
            }
        }
    }

    struct Destroy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "destroy", abstract: "Destroy a VM or template and its files.")

        @OptionGroup var connection: VSphereOptions
        @Argument(help: "The VMs.") var vms: [String]
        @Flag(help: "Power a running VM off first.") var force = false

        func run() async throws {
            let output = CommandContext.current.output
            try await connection.with { client, _ in
                for vm in vms {
                    let machine = try await client.requireVM(vm)
                    if force, try await client.powerState(machine) == "poweredOn" { try await client.powerOff(machine) }
                    try await client.destroy(machine)
                    output.line("\(vm): destroyed")
                }
            }
        }
    }
}
