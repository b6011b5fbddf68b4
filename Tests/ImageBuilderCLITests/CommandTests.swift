import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

@testable import ImageBuilderCLI

@Suite struct CommandTests {
    struct Run {
        let code: Int32
        let context: CommandContext
        let runner: RecordingProcessRunner
        var out: String { context.output.text }
        var err: String { context.errors.text }
    }

    static func run(_ args: [String], root: String, env: [String: String] = [:], runner: RecordingProcessRunner = .init()) async -> Run {
        var variables = ["IB_ROOT": root, "PACKER_BIN": "/bin/true", "PATH": "/usr/bin:/bin"]
        variables.merge(env) { $1 }
        let context = CommandContext(
            environment: RunEnvironment(variables: variables, workingDirectory: root),
            output: .capturing(), errors: .capturing(), processRunner: runner, contactsVCenter: false)
        return Run(code: await ImageBuilderCommand.run(args, context: context), context: context, runner: runner)
    }

    @Test func buildPassesSecretsThroughTheEnvironmentOnlyAndRedactsOutput() async throws {
        let root = try Fixtures.makeRepoCopy()
        try Fixtures.write("{\"cpu\": 2, \"headless\": true}", to: root + "/numbers.json")
        let runner = RecordingProcessRunner { command in
            (["booting", "password is \(command.environment["IB_SSH_PASSWORD"] ?? "?")"], .exited(0))
        }
        let r = await Self.run(
            ["build", "build-node-ova-local-ubuntu-2404"], root: root,
            env: ["PACKER_VAR_FILES": "numbers.json", "SSH_PASSWORD": "Sup3rSecretPw", "IB_KEEP_WORK": "1"], runner: runner)
        #expect(r.code == 0, "\(r.err)")
        let command = try #require(r.runner.started.first)
        #expect(r.runner.started.count == 1)
        #expect(command.environment["IB_SSH_PASSWORD"] == "Sup3rSecretPw")
        #expect(command.environment["SSH_PASSWORD"] == nil)
        #expect(!command.arguments.contains { $0.contains("Sup3rSecretPw") })
        #expect(command.arguments.last == root + "/packer/ova/packer-node.json")
        let work = try #require(command.environment["IB_WORK_DIR"])
        #expect(work.hasPrefix(root + "/output/.work/node-ova-local-ubuntu-2404-"))
        #expect(FileReader.isDirectory(work))
        // The number-holding var file reaches packer as a string-only copy in the work dir.
        let copy = try #require(command.arguments.first { $0.hasPrefix("-var-file=" + work) }).dropFirst("-var-file=".count)
        #expect(Fixtures.read(String(copy)) == "{\n  \"cpu\": \"2\",\n  \"headless\": \"true\"\n}\n")
        #expect(!r.err.contains("Sup3rSecretPw"))
        #expect(r.err.contains("[build-node-ova-local-ubuntu-2404] password is <redacted>"))
        let log = try #require(Fixtures.read(root + "/output/logs/node-ova-local-ubuntu-2404.log"))
        #expect(log.contains("password is <redacted>") && !log.contains("Sup3rSecretPw"))
        #expect(r.out.contains("build-node-ova-local-ubuntu-2404") && r.out.contains("succeeded"))
    }

    @Test func aGeneratedPasswordIsFreshPerRunAndNeverPrinted() async throws {
        let root = try Fixtures.makeRepoCopy()
        let r1 = await Self.run(["build", "node-ova-local-almalinux-9"], root: root)
        let r2 = await Self.run(["build", "node-ova-local-almalinux-9"], root: root)
        let p1 = try #require(r1.runner.started.first?.environment["IB_SSH_PASSWORD"])
        let p2 = try #require(r2.runner.started.first?.environment["IB_SSH_PASSWORD"])
        #expect(p1.count == 20 && p1 != p2)
        #expect(!(r1.out + r1.err).contains(p1))
    }

    @Test func aFailingBuildDoesNotStopTheOthersAndExitsOne() async throws {
        let root = try Fixtures.makeRepoCopy()
        let runner = RecordingProcessRunner { command in
            command.arguments.contains { $0.hasSuffix("/images/almalinux-9.json") } ? (["boom"], .exited(1)) : ([], .exited(0))
        }
        let r = await Self.run(["build", "node-ova-local-almalinux-9", "node-ova-local-photon-5"], root: root, runner: runner)
        #expect(r.code == 1)
        #expect(r.runner.started.count == 2)
        #expect(r.out.contains("build-node-ova-local-almalinux-9") && r.out.contains("failed"))
    }

    @Test func buildWithoutPackerIsExitThreeBeforeAnythingStarts() async throws {
        let root = try Fixtures.makeRepoCopy()
        let context = CommandContext(
            environment: RunEnvironment(variables: ["IB_ROOT": root, "PATH": "/nonexistent"], workingDirectory: root),
            output: .capturing(), errors: .capturing(), processRunner: RecordingProcessRunner(), contactsVCenter: false)
        let code = await ImageBuilderCommand.run(["build", "node-ova-local-almalinux-9"], context: context)
        #expect(code == 3)
        #expect(context.errors.text.hasPrefix("image-builder: error: packer not found"))
        #expect(!FileReader.exists(root + "/output"))
    }

    @Test func planIsPureAndItsJSONListsEveryTargetOfAll() async throws {
        let root = try Fixtures.makeRepoCopy()
        let r = await Self.run(["plan", "--json", "build-node-ova-vsphere-all", "node-ova-local-flatcar"], root: root)
        #expect(r.code == 0)
        let json = try JSONParser.parse(r.out)
        let plans = try #require(json["plans"]?.arrayValue)
        #expect(plans.count == 15)  // the copy leaves the Windows OSes out (Fixtures.makeRepoCopy)
        #expect(plans.first?["target"] == .string("build-node-ova-vsphere-almalinux-9"))
        #expect(plans.last?["target"] == .string("build-node-ova-local-flatcar"))
        #expect(plans.first?["packer"]?["environmentNames"]?.arrayValue?.contains(.string("IB_SSH_PASSWORD")) == true)
        #expect(r.runner.started.isEmpty)
        #expect(!FileReader.exists(root + "/output"))
    }

    @Test func cleanRemovesOnlyThatTargetsOutputWorkAndLog() async throws {
        let root = try Fixtures.makeRepoCopy()
        let mine = [
            "output/ubuntu-2404-kube-v1.36.1/x.ova", "output/.work/node-ova-vsphere-ubuntu-2404-20261121T010203-42/f",
            "output/logs/node-ova-vsphere-ubuntu-2404.log",
        ]
        let others = [
            "output/ubuntu-2404-efi-kube-v1.36.1/x.ova", "output/.work/node-ova-vsphere-ubuntu-2404-efi-20261121T010203-42/f",
            "output/logs/node-ova-vsphere-ubuntu-2404-efi.log", "output/base-ubuntu-2404/ssh-secret",
        ]
        for path in mine + others { try Fixtures.write("x", to: root + "/" + path) }
        let r = await Self.run(["clean", "clean-node-ova-vsphere-ubuntu-2404"], root: root)
        #expect(r.code == 0)
        for path in mine { #expect(!FileReader.exists(root + "/" + path), "\(path)") }
        for path in others { #expect(FileReader.exists(root + "/" + path), "\(path)") }
        #expect(r.out.contains("removed output/ubuntu-2404-kube-v1.36.1"))
    }

    @Test func cleanRefusesAnOutputDirectoryOutsideOutput() async throws {
        let root = try Fixtures.makeRepoCopy()
        let outside = try Fixtures.makeTemporaryDirectory("ib-outside")
        try Fixtures.write("keep", to: outside + "/keep")
        let r = await Self.run(["clean", "node-ova-local-almalinux-9"], root: root, env: ["PACKER_FLAGS": "-var output_dir=\(outside)"])
        #expect(r.code == 0)
        #expect(FileReader.exists(outside + "/keep"))
        #expect(r.err.contains("not removing \(outside)"))
    }

    @Test func listJSONMatchesTheText() async throws {
        let r = await Self.run(["list", "--json"], root: Fixtures.repoRoot)
        let rows = try #require(try JSONParser.parse(r.out).arrayValue)
        let text = await Self.run(["list"], root: Fixtures.repoRoot).out
        #expect(rows.count == text.split(separator: "\n").count)
        #expect(rows.first?["target"] == .string("build-node-ova-local-almalinux-9"))
    }

    @Test func helpListsExitCodesAndEnvironmentAndExitsZero() async {
        let r = await Self.run(["--help"], root: Fixtures.repoRoot)
        #expect(r.code == 0)
        #expect(r.out.contains("130  interrupted"))
        #expect(r.out.contains("PACKER_VAR_FILES"))
    }
}
