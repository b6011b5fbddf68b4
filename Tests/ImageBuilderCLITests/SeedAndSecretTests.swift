import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

@testable import ImageBuilderCLI

@Suite(.enabled(if: Fixtures.hasTool("openssl") || Fixtures.isCI, "needs openssl"))
struct SeedAndSecretTests {
    static func context(_ root: String, env: [String: String] = [:], runner: RecordingProcessRunner) -> CommandContext {
        // The work directories are read after the (successful) builds: kept.
        var variables = ["IB_ROOT": root, "PACKER_BIN": "/bin/true", "PATH": "/usr/bin:/bin", "IB_KEEP_WORK": "1"]
        variables.merge(env) { $1 }
        return CommandContext(
            environment: RunEnvironment(variables: variables, workingDirectory: root),
            output: .capturing(), errors: .capturing(), processRunner: runner, contactsVCenter: false)
    }

    static func tree(_ directory: String) -> [String: String] {
        var files: [String: String] = [:]
        for name in FileReader.list(directory) ?? [] {
            let path = directory + "/" + name
            if FileReader.isDirectory(path) { files.merge(tree(path)) { $1 } } else { files[path] = Fixtures.read(path) }
        }
        return files
    }

    /// Acceptance 4 (issue 3): two builds rendered in parallel each get their own password and
    /// files; the source tree is unchanged; the password appears in no output.
    @Test func twoParallelBuildsRenderTheirOwnSeedFiles() async throws {
        let root = try Fixtures.makeRepoCopy()
        let before = Self.tree(root + "/packer")
        let runners = [RecordingProcessRunner(), RecordingProcessRunner()]
        let contexts = [Self.context(root, runner: runners[0]), Self.context(root, runner: runners[1])]
        async let a = ImageBuilderCommand.run(["build", "node-ova-local-ubuntu-2404"], context: contexts[0])
        async let b = ImageBuilderCommand.run(
            ["build", "node-ova-vsphere-base-almalinux-9"],
            context: Self.context(
                root, env: ["PACKER_VAR_FILES": root + "/vc.json", "VSPHERE_PASSWORD": "vc-pass-1"], runner: runners[1]))
        try Fixtures.write(
            """
            {"vcenter_server": "vc", "username": "u", "datacenter": "dc", "datastore": "ds", "cluster": "c", "network": "n"}
            """, to: root + "/vc.json")
        let codes = await [a, b]
        #expect(codes == [0, 0], "\(contexts[0].errors.text)")
        let commands = runners.compactMap(\.started.first)
        #expect(commands.count == 2)
        var hashes: [String] = []
        for (command, seed) in zip(commands, ["user-data", "ks.cfg"]) {
            let password = try #require(command.environment["IB_SSH_PASSWORD"])
            let work = try #require(command.environment["IB_WORK_DIR"])
            let text = try #require(Fixtures.read(work + "/cidata/" + seed))
            #expect(!text.contains(/@[A-Z_]+@/), "every placeholder filled in \(seed)")
            #expect(!text.contains(password))
            let hash = try #require(text.split(whereSeparator: { " \"=\n".contains($0) }).first { $0.hasPrefix("$6$") })
            hashes.append(String(hash))
            for context in contexts {
                #expect(!(context.output.text + context.errors.text).contains(password))
                #expect(!(context.output.text + context.errors.text).contains(String(hash)))
            }
        }
        #expect(Set(hashes).count == 2)
        #expect(commands[0].environment["IB_SSH_PASSWORD"] != commands[1].environment["IB_SSH_PASSWORD"])
        #expect(FileReader.exists(commands[0].environment["IB_WORK_DIR"]! + "/cidata/meta-data"))
        #expect(Self.tree(root + "/packer") == before)
    }

    /// Goal M5: a base keeps its generated password (0600); its clone and `secret show` use it;
    /// SSH_PASSWORD still wins.
    @Test func aBaseSecretIsStoredAndReusedByItsClone() async throws {
        let root = try Fixtures.makeRepoCopy()
        let base = RecordingProcessRunner()
        #expect(await ImageBuilderCommand.run(["build", "node-ova-local-base-ubuntu-2204"], context: Self.context(root, runner: base)) == 0)
        let generated = try #require(base.started.first?.environment["IB_SSH_PASSWORD"])
        let file = root + "/output/base-ubuntu-2204/ssh-secret"
        #expect(Fixtures.read(file) == generated + "\n")
        let mode = try FileManagerMode.of(file)
        #expect(mode == 0o600)

        let clone = RecordingProcessRunner()
        #expect(await ImageBuilderCommand.run(["build", "node-ova-local-vmx-ubuntu-2204"], context: Self.context(root, runner: clone)) == 0)
        #expect(clone.started.first?.environment["IB_SSH_PASSWORD"] == generated)

        let rebuilt = RecordingProcessRunner()
        _ = await ImageBuilderCommand.run(["build", "node-ova-local-base-ubuntu-2204"], context: Self.context(root, runner: rebuilt))
        #expect(rebuilt.started.first?.environment["IB_SSH_PASSWORD"] == generated)

        let given = RecordingProcessRunner()
        _ = await ImageBuilderCommand.run(
            ["build", "node-ova-local-vmx-ubuntu-2204"],
            context: Self.context(root, env: ["SSH_PASSWORD": "given-pw"], runner: given))
        #expect(given.started.first?.environment["IB_SSH_PASSWORD"] == "given-pw")

        let show = Self.context(root, runner: RecordingProcessRunner())
        #expect(await ImageBuilderCommand.run(["secret", "show", "node-ova-vsphere-clone-ubuntu-2204"], context: show) == 0)
        #expect(show.output.text == generated + "\n")
        let missing = Self.context(root, runner: RecordingProcessRunner())
        #expect(await ImageBuilderCommand.run(["secret", "show", "node-ova-vsphere-clone-rhel-9"], context: missing) == 2)
        #expect(missing.errors.text.contains("output/base-rhel-9/ssh-secret: no stored secret"))
    }
}
