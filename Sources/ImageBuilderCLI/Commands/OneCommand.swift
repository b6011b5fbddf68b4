import ArgumentParser
import ImageBuilderKit
import OpenNebulaKit

struct OneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "one", abstract: "VMware disks and VM templates for OpenNebula, and their publish.",
        subcommands: [Export.self, Publish.self])

    /// Where the export goes, and how it is named.
    struct ExportOptions: ParsableArguments {
        @Argument(help: "An OVA, a build's output directory, or export-node-ova-opennebula-<os|all>.") var source: String
        @Option(help: "The image's name in OpenNebula (default: the OVA's name).") var name: String?
        @Option(help: "The folder's path as the front-end sees it (default: its absolute path here).") var path: String?
        @Option(help: "A virtual network for the VM template's NIC (default: NIC_DEFAULT only).") var network: String?
        @Option(help: "vmdk (the VMware drivers, default) or qcow2 (KVM: OpenNebula 7 has no VMware driver).") var format = "vmdk"

        /// `(label, OVA or output directory)` for SOURCE.
        func sources(_ environment: RunEnvironment) throws -> [(String, String)] {
            if let prefix = PublishTargets.openNebulaPrefixes.first(where: { source.hasPrefix($0) }) {
                let items = try PublishTargets.resolve(source, planner: try Planner(environment: environment), prefix: prefix)
                if name != nil || path != nil, items.count > 1 {
                    throw ValidationError("--name and --path name one image; \(source) is \(items.count)")
                }
                return items.map { ($0.os, $0.ova) }
            }
            return [(Paths.basename(source), environment.absolute(source))]
        }

        func export(_ source: String, context: CommandContext) async throws -> ONEExporter.Result {
            var request = ONEExporter.Request(source: source)
            (request.name, request.frontEndPath, request.network) = (name, path, network)
            guard let format = ONEExporter.Format(rawValue: format) else { throw ValidationError("--format takes vmdk or qcow2, not '\(format)'") }
            request.format = format
            let result = try await ONEExporter(processes: context.helperRunner, environment: context.environment).export(request)
            for warning in result.warnings { context.warn(warning) }
            return result
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write opennebula/ beside a build's OVA: the VMDK folder, its .tar.gz, image.one and vm.one.",
            discussion: """
                The folder holds only <name>.vmdk and its <name>-sNNN.vmdk 2 GB extents (what OpenNebula's VMware \
                drivers register); the .tar.gz holds exactly those files at its top level (for Sunstone).
                """)

        @OptionGroup var options: ExportOptions

        func run() async throws {
            let context = CommandContext.current
            for (label, source) in try options.sources(context.environment) {
                let result = try await options.export(source, context: context)
                let tarball = result.tarball.map { ", " + Paths.basename($0) } ?? ""
                context.output.line("\(label): \(result.directory) (\(result.files.joined(separator: " "))\(tarball))")
            }
        }
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish",
            abstract: "Register the exported image and its VM template with OpenNebula (XML-RPC).",
            discussion: """
                OpenNebula is configured its own way: ONE_XMLRPC (http://frontend:2633/RPC2) and ONE_AUTH (a file \
                holding user:password, default ~/.one/one_auth, or user:password itself); ONE_CA_FILE for https. The \
                image goes into --datastore (an id or a name), is polled until READY, then the VM template referring \
                to it is allocated. An image or template of that name is reused; --replace makes new ones and \
                replaces the old ones once the new image is READY.
                """)

        @OptionGroup var options: ExportOptions
        @Option(help: "The image datastore: its id or name.") var datastore: String
        @Flag(help: "Replace an image and template of that name (after the new image is READY).") var replace = false
        @Option(help: "Seconds between one.image.info polls.") var poll: Int = 2

        func run() async throws {
            let context = CommandContext.current
            guard !datastore.isEmpty else { throw ValidationError("--datastore (make: ONE_DATASTORE) names the image datastore, by id or name") }
            let sources = try options.sources(context.environment)
            let credentials: ONECredentials
            do { credentials = try ONECredentials.resolve(context.environment.variables) } catch { throw ONEPublishError.one(error) }
            let client: ONEClient
            do { client = try ONEClient(credentials: credentials, caFile: context.environment["ONE_CA_FILE"]) } catch {
                throw ONEPublishError.one(error)
            }
            defer { Task.detached { await client.shutdown() } }
            let publisher = ONEPublisher(client: client, note: { context.errors.line("image-builder: " + $0) })
            for (label, source) in sources {
                let exported = try await options.export(source, context: context)
                var request = ONEPublisher.Request(directory: exported.directory, datastore: datastore)
                (request.replace, request.pollInterval) = (replace, .seconds(max(poll, 0)))
                let outcome = try await publisher.publish(request)
                context.output.line(
                    "\(label): OpenNebula image \(outcome.imageID)\(outcome.reusedImage ? " (reused)" : ""), "
                        + "VM template \(outcome.templateID)\(outcome.reusedTemplate ? " (reused)" : "")")
            }
        }
    }
}
