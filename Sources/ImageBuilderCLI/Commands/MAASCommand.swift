import ArgumentParser
import ImageBuilderKit
import MAASKit

struct MAASCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maas", abstract: "Upload disk images to MAAS as boot resources.", subcommands: [Publish.self])

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish",
            abstract: "Upload FILE (such as esxi-8.0.dd.gz) to MAAS as an uploaded boot resource.",
            discussion: """
                MAAS is configured like the maas CLI: MAAS_URL (http://host:5240/MAAS/) and MAAS_API_KEY \
                (consumer:token:secret, an administrator's), MAAS_CA_FILE, MAAS_INSECURE; or a var file with \
                maas_url, maas_api_key, maas_ca_file, maas_insecure (the environment wins). The file is sent in \
                4 MiB chunks, each signed as it is sent; content MAAS already holds is not sent again.
                """)

        @Argument(help: "The image file, or maas-esxi for the image `make build-maas-esxi` left.") var file: String
        @Option(help: "os/release, such as esxi/8.0 (default for maas-esxi: esxi/<release>).") var name: String?
        @Option(help: "The title MAAS shows (default: the name).") var title: String?
        @Option(help: "arch/subarch.") var architecture = "amd64/generic"
        @Option(help: "ddgz, ddxz, ddraw, tgz, … (default: from the file name).") var filetype: String?
        @Option(name: .customLong("var-file"), help: "A JSON file with maas_url and maas_api_key.") var varFile: String?

        func run() async throws {
            let context = CommandContext.current
            var path = context.environment.absolute(file)
            var given = self.name
            var title = self.title
            if ["maas-esxi", "publish-maas-esxi"].contains(file) {
                let built = try MAASImageTargets.planner().builtImage()
                path = built.path
                given = given ?? "esxi/\(built.release)"
                title = title ?? "VMware ESXi \(built.release)"
            }
            guard let name = given else { throw ValidationError("--name is needed (os/release, such as esxi/8.0)") }
            var request = MAASPublisher.Request(path: path, name: name)
            (request.title, request.architecture, request.filetype) = (title, architecture, filetype)
            _ = try MAASPublisher.check(request)
            let (credentials, trust) = try MAASSettings.resolve(context.environment, varFile: varFile)
            if trust == .insecure { context.warn("TLS certificates are not verified for MAAS (MAAS_INSECURE)") }
            let http: MAASHTTP
            do { http = try MAASHTTP(credentials: credentials, trust: trust) } catch { throw MAASPublishError.maas(error) }
            defer { Task.detached { await http.shutdown() } }
            let meter = UploadProgress(sink: context.errors, lead: "")
            let publisher = MAASPublisher(
                client: MAASClient(http: http), note: { context.errors.line("image-builder: " + $0) }, progress: meter.report)
            let outcome = try await publisher.publish(request)
            context.output.line(
                "\(name): MAAS boot resource \(outcome.resourceID)"
                    + (outcome.uploaded ? " (\(outcome.size) bytes in \(outcome.chunksSent) chunks, complete)" : " (already there)"))
        }
    }
}
