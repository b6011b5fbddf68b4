import ArgumentParser
import ImageBuilderKit
import VSphereKit

extension VSphereCommand {
    /// The ISO cache on the datastore (`[<datastore>] image-builder/iso/`).
    struct ISO: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "iso", abstract: "List or remove the ISOs builds cached on the datastore (image-builder/iso/).",
            subcommands: [List.self, Prune.self])

        /// The datastore: --datastore, else the connection's `datastore`.
        static func datastore(_ given: String?, _ settings: VSphereSettings) throws -> String {
            guard let name = given ?? (settings.datastore.isEmpty ? nil : settings.datastore) else {
                throw ValidationError("no datastore: set datastore in a var file or pass --datastore")
            }
            return name
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "ls", abstract: "List cached ISOs: size, and whether the checksum sidecar agrees.")
            @OptionGroup var connection: VSphereOptions
            @Option(help: "The datastore (default: the connection's datastore).") var datastore: String?

            func run() async throws {
                let text = try await connection.with { client, settings in
                    let store = try ISO.datastore(datastore, settings)
                    let entries = try await ISODatastoreCatalog(client: client, datacenter: settings.datacenter).entries(datastore: store)
                    var lines = ["PATH".padding(72) + "BYTES".padding(14) + "STATE"]
                    for entry in entries { lines.append(entry.path.padding(72) + "\(entry.size)".padding(14) + entry.state) }
                    if entries.isEmpty { lines.append("(no cached ISO on [\(store)] \(ISODatastore.folder))") }
                    return lines.joined(separator: "\n") + "\n"
                }
                CommandContext.current.output.write(text)
            }
        }

        struct Prune: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "prune",
                abstract: "Remove cached ISOs (all, or those not named by --keep), their sidecars and unfinished uploads.")
            @OptionGroup var connection: VSphereOptions
            @Option(help: "The datastore (default: the connection's datastore).") var datastore: String?
            @Option(help: ArgumentHelp("Keep this cached ISO (its file name; repeatable).", valueName: "NAME")) var keep: [String] = []

            func run() async throws {
                let removed = try await connection.with { client, settings in
                    let store = try ISO.datastore(datastore, settings)
                    return try await ISODatastoreCatalog(client: client, datacenter: settings.datacenter).prune(datastore: store, keep: keep)
                }
                CommandContext.current.output.write(removed.map { "removed \($0)\n" }.joined())
            }
        }
    }
}
