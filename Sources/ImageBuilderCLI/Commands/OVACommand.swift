import ArgumentParser
import ImageBuilderKit
import OVAKit
import Synchronization

struct OVACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ova", abstract: "Package a build's output directory as an OVA, or verify an OVA.",
        subcommands: [Package.self, Verify.self])

    struct Package: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "package",
            abstract: "Write <build_name>-kube-<semver>.ovf, .mf, .ova and .ova.sha256 into OUTPUT_DIR.",
            discussion: """
                Reads OUTPUT_DIR/packer-manifest.json (its last build). Disks that are not streamOptimized are \
                converted with qemu-img. IB_OVFTOOL=1 packages with ovftool $IB_OVFTOOL_ARGS instead; \
                OVF_CUSTOM_PROPERTIES names a JSON object of extra ProductSection properties.
                """)

        @Argument(help: "The build's output directory.") var outputDirectory: String
        @Option(help: "The disk to package (default: the .vmdk files of packer-manifest.json).") var vmdk: String?
        @Option(help: "A EULA text file for the EulaSection.") var eula: String?
        @Option(help: "The virtual hardware version (default: vmx_version of the manifest, else 15).") var vmx: Int?
        @Option(
            help: ArgumentHelp(
                "Where the manifest goes: after-ovf (default; IB_OVA_MANIFEST) or end (after the disks: each disk byte is read once).",
                valueName: "after-ovf|end")) var manifest: String?

        func run() async throws {
            let context = CommandContext.current
            var environment = context.environment
            if let manifest {
                guard ["after-ovf", "end"].contains(manifest) else { throw ValidationError("--manifest takes after-ovf or end, not '\(manifest)'") }
                environment.variables["IB_OVA_MANIFEST"] = manifest
            }
            let packager = OVAPackager(repo: try RepoLayout.locate(in: environment), environment: environment) { line in
                context.errors.line("image-builder: " + line)
            }
            let stop = Atomic<Bool>(false)
            let result = try await withTaskCancellationHandler {
                try await packager.package(outputDirectory, vmdk: vmdk, eula: eula, vmx: vmx) { stop.load(ordering: .relaxed) }
            } onCancel: {
                stop.store(true, ordering: .relaxed)
            }
            context.output.line("\(result.ova)\nsha256 \(result.sha256)")
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check an OVA: member order and names, manifest digests, OVF References, streamOptimized disks, .ova.sha256.")

        @Argument(help: "The OVA file.") var ova: String

        func run() throws {
            let context = CommandContext.current
            let path = context.environment.absolute(ova)
            guard FileReader.exists(path), !FileReader.isDirectory(path) else {
                throw OVAError.invalidInput(path: path, reason: "no such OVA file")
            }
            do {
                let report = try OVAVerifier.verify(path)
                context.output.line(
                    "\(path): ok (\(report.members.joined(separator: ", ")); \(report.checkedDigests) digests"
                        + (report.checksumFile ? "; .ova.sha256 matches)" : "; no .ova.sha256)"))
            } catch {
                throw BadArtifact(defect: error)
            }
        }
    }

    struct BadArtifact: UserFacingError {
        let defect: OVAVerifier.Defect
        var description: String { defect.description }
        var exitStatus: ExitStatus { .failed }
    }
}
