import ArgumentParser
import Foundation
import ImageBuilderKit
import OVAKit
import VSphereKit

extension VSphereCommand {
    struct CloudInit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cloudinit",
            abstract: "Give a VM cloud-init data through guestinfo (image-govc-cloudinit.sh without govc).",
            discussion: "Reverts to snapshot `new` (creating it the first time), sets guestinfo.userdata and "
                + "guestinfo.metadata (base64), then takes snapshot `cloudinit`.")

        @OptionGroup var connection: VSphereOptions
        @Argument(help: "The VM.") var vm: String
        @Option(name: .customLong("user-data"), help: "The user-data file.") var userData: String
        @Option(name: .customLong("meta-data"), help: "The meta-data file.") var metaData: String

        func run() async throws {
            let environment = CommandContext.current.environment
            func encoded(_ path: String, _ option: String) throws -> String {
                guard case .contents(let bytes, _) = FileReader.read(environment.absolute(path)) else {
                    throw ConfigError.fileMissing(path: environment.absolute(path), origin: option)
                }
                return Data(bytes).base64EncodedString()
            }
            let user = try encoded(userData, "--user-data")
            let meta = try encoded(metaData, "--meta-data")
            let output = CommandContext.current.output
            try await connection.with { client, _ in
                let machine = try await client.requireVM(vm)
                if let new = try await client.snapshot(machine, named: "new") {
                    try await client.revert(to: new)
                } else {
                    try await client.createSnapshot(machine, name: "new", description: "before cloud-init data")
                }
                try await client.setExtraConfig(
                    machine,
                    [
                        ("guestinfo.userdata", user), ("guestinfo.userdata.encoding", "base64"),
                        ("guestinfo.metadata", meta), ("guestinfo.metadata.encoding", "base64"),
                    ])
                try await client.createSnapshot(machine, name: "cloudinit", description: "with cloud-init data")
                output.line("\(vm): guestinfo user-data and meta-data set; snapshots new and cloudinit")
            }
        }
    }

    struct Deploy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "deploy", abstract: "Deploy an OVA (ImportVApp + NFC), or a content library item with --library.")

        @OptionGroup var connection: VSphereOptions
        @Argument(help: "The OVA file, or with --library the item's name.") var source: String
        @Argument(help: "The new VM's name.") var name: String
        @Option(help: "Deploy item SOURCE of this content library.") var library: String?
        @Flag(name: .customLong("power-on"), help: "Power the VM on.") var powerOn = false

        func run() async throws {
            let environment = CommandContext.current.environment
            let output = CommandContext.current.output
            let ova = library == nil ? try OVAContents(path: environment.absolute(source)) : nil
            try await connection.with { client, settings in
                let placement = try await VSphereConnector.placement(client, settings)
                let vm: ManagedObjectReference
                if let library {
                    guard let libraryID = try await client.libraryID(named: library),
                        let item = try await client.items(in: libraryID).first(where: { $0.value == source })?.key
                    else { throw VSphereStepError.vcenter(.notFound(host: settings.server, what: "item \(source) of library \(library)")) }
                    vm = try await client.deploy(item: item, as: name, pool: placement.pool, folder: placement.folder)
                } else if let ova {
                    var mapped = placement
                    mapped.networks = placement.networks.isEmpty ? [] : ova.networks.map { ($0, placement.networks[0].1) }
                    vm = try await client.importOVF(descriptor: ova.descriptor, name: name, files: ova.files, placement: mapped)
                    // The firmware the OVF declares, where the import left it out.
                    if try await client.firmware(vm) != (ova.firmware, ova.secureBoot) {
                        try await client.setFirmware(vm, firmware: ova.firmware, secureBoot: ova.secureBoot)
                    }
                } else {
                    return
                }
                if powerOn { try await client.powerOn(vm) }
                output.line("\(name) (\(vm.value)): deployed from \(source)")
            }
        }
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish", abstract: "Upload an OVA to a content library (created if missing) as an OVF item.")

        @OptionGroup var connection: VSphereOptions
        @Argument(help: "The OVA file.") var ova: String
        @Option(help: "The content library.") var library: String
        @Option(help: "The item's name (default: the OVA's name).") var item: String?

        func run() async throws {
            let path = CommandContext.current.environment.absolute(ova)
            let contents = try OVAContents(path: path)
            let name = item ?? String(Paths.basename(path).dropLast(path.hasSuffix(".ova") ? 4 : 0))
            let output = CommandContext.current.output
            try await connection.with { client, settings in
                let placement = try await VSphereConnector.placement(client, settings)
                let files =
                    [(contents.descriptorName, contents.descriptorSlice)] + contents.files.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                let published = try await client.publish(files: files, as: name, library: library, datastore: placement.datastore)
                output.line("\(name): published to library \(library) (item \(published.item))")
            }
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Download a VM's disks into a folder (ExportVm, else the datastore).")

        @OptionGroup var connection: VSphereOptions
        @Argument(help: "The VM.") var vm: String
        @Argument(help: "The folder to write the disks to.") var directory: String

        func run() async throws {
            let folder = CommandContext.current.environment.absolute(directory)
            let output = CommandContext.current.output
            let writer = DiskWriter(folder: folder)
            let disks = try await connection.with { client, _ in
                // The VM first: a missing one creates nothing.
                let source = try await client.requireVM(vm)
                try FileWriter.makeDirectory(folder, mode: 0o755)
                return try await client.exportDisks(source) { name, chunk in try writer.write(name, chunk) }
            }
            try writer.close()
            for disk in disks { output.line("\(folder + "/" + disk.name): \(disk.bytes) bytes") }
        }
    }
}
