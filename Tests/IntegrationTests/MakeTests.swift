import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// The Makefile over the built CLI (IB_BIN: make never builds inside `swift test`).
@Suite(.enabled(if: FileReader.isExecutable(Fixtures.binary) && Fixtures.hasTool("make"), "needs the built CLI and make"))
struct MakeTests {
    func make(_ args: [String], root: String = Fixtures.repoRoot, env: [String: String] = [:]) async throws -> Captured {
        var environment = ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "IB_BIN": Fixtures.binary]
        environment.merge(env) { $1 }
        return try await ProcessCapture.run("make", ["--no-print-directory", "-C", root] + args, environment: environment)
    }

    /// Acceptance 5: the targets section of `make help` equals `image-builder list`.
    @Test func helpTargetsSectionEqualsList() async throws {
        let help = try await make(["help"])
        #expect(help.status == 0)
        let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let start = try #require(lines.firstIndex(of: "Targets:")) + 1
        let end = try #require(lines[start...].firstIndex(of: ""))
        let list = try await ProcessCapture.run(Fixtures.binary, ["list"], environment: ["IB_ROOT": Fixtures.repoRoot])
        #expect(list.status == 0)
        #expect(lines[start..<end].joined(separator: "\n") + "\n" == list.stdout)
        #expect(lines[end...].contains { $0.hasPrefix("deps-ova") } && lines[end...].contains { $0.hasPrefix("bench-plan") })
        #expect(lines[end...].contains { $0.hasPrefix("publish-node-ova-openstack-ubuntu-2404 ") })
        #expect(lines[end...].contains { $0.hasPrefix("publish-node-ova-openstack-all ") })
    }

    @Test func helpStaysRightWhenAnOSFileIsAdded() async throws {
        let root = try Fixtures.makeRepoCopy()
        let text = try #require(Fixtures.read(root + "/images/ubuntu-2404.json"))
            .replacingOccurrences(of: "\"Ubuntu 24.04\"", with: "\"Ubuntu 26.04\"")
            .replacingOccurrences(of: "\"build_name\": \"ubuntu-2404\"", with: "\"build_name\": \"ubuntu-2604\"")
        try Fixtures.write(text, to: root + "/images/ubuntu-2604.json")
        let help = try await make(["help"], root: root)
        let list = try await ProcessCapture.run(Fixtures.binary, ["list"], environment: ["IB_ROOT": root])
        #expect(help.stdout.contains(list.stdout))
        #expect(list.stdout.contains("build-node-ova-vsphere-clone-ubuntu-2604"))
    }

    @Test func makeArgumentsKeepTheirMeaningAndSecretsStayOutOfArgv() async throws {
        let work = try Fixtures.makeTemporaryDirectory()
        let log = work + "/packer.log"
        let packer = try Fixtures.recordingPacker(in: work, log: log)
        try Fixtures.write("{\"os_only\": \"1\"}", to: work + "/only.json")
        let root = try Fixtures.makeRepoCopy()
        let r = try await make(
            [
                "build-node-ova-local-ubuntu-2404", "PACKER_BIN=\(packer)", "PACKER_FLAGS=-var foo=bar",
                "PACKER_COLOR=false", "FOREGROUND=1", "VAR_FILES_ubuntu-2404=\(work)/only.json",
            ], root: root, env: ["SSH_PASSWORD": "NotInArgv123", "IB_ROOT": ""])
        #expect(r.status == 0, "\(r.stderr)")
        let recorded = try #require(Fixtures.read(log))
        // PACKER_FLAGS given as a make argument does not drop image-builder's own flags.
        #expect(recorded.contains("[-var] [foo=bar] [-color=false] [-var] [headless=false]"))
        #expect(recorded.contains("[-var-file=\(work)/only.json] [-var] [vnc_port_min=5900] [-var] [vnc_port_max=5919] [-only=vmware-iso]"))
        #expect(recorded.contains(" IB_SSH_PASSWORD "))
        #expect(!recorded.contains("NotInArgv123"))
        #expect(!(r.stdout + r.stderr).contains("NotInArgv123"))
        _ = try await make(["clean-node-ova-local-ubuntu-2404"], root: root)
        // ON_ERROR_ASK as a make argument reaches the CLI too (refused here: no terminal).
        let ask = try await make(
            ["build-node-ova-local-ubuntu-2404", "PACKER_BIN=\(packer)", "PACKER_FLAGS=-var foo=bar", "ON_ERROR_ASK=1"],
            root: root)
        #expect(ask.status == 2)
        #expect(ask.stderr.contains("ON_ERROR_ASK=1 (-on-error=ask): packer asks on a terminal"))
    }

    @Test func badInputThroughMakeIsTheCLIsExitTwoAndStartsNothing() async throws {
        let work = try Fixtures.makeTemporaryDirectory()
        let log = work + "/packer.log"
        let packer = try Fixtures.recordingPacker(in: work, log: log)
        for target in ["build-node-ova-vsphere-ubuntu-2405", "build-node-ova-vsphere-clone-flatcar", "build-node-ova-local-rhel-9"] {
            let r = try await make([target, "PACKER_BIN=\(packer)", "PACKER_VAR_FILES=\(work)/missing.json"])
            #expect(r.status == 2)
            // make exits 2 for any failed recipe: the CLI's own code is in make's "Error N" line.
            #expect(r.stderr.contains("] Error 2"), "\(r.stderr)")
            #expect(r.stderr.contains("image-builder: error: "))
        }
        #expect(!FileReader.exists(log))
    }
}
