import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

@testable import ImageBuilderCLI

/// The README states the contracts; these keep it honest.
@Suite struct DocsTests {
    let readme = Fixtures.read(Fixtures.repoRoot + "/README.md") ?? ""

    @Test func readmeStartsWithTheTwoCommands() {
        let commands = readme.components("make demo").count > 1 && readme.components("make test").count > 1
        #expect(commands)
        #expect(
            (readme.firstRange(of: "make demo")?.lowerBound ?? readme.endIndex)
                < (readme.firstRange(of: "## Commands")?.lowerBound ?? readme.startIndex))
    }

    @Test(arguments: ImageBuilderKit.ExitStatus.allCases)
    func readmeHasEveryExitCode(_ status: ImageBuilderKit.ExitStatus) {
        #expect(readme.contains("| \(status.code) | \(status.meaning) |"))
    }

    @Test(arguments: EnvironmentVariable.allCases)
    func readmeHasEveryEnvironmentVariable(_ variable: EnvironmentVariable) {
        #expect(readme.contains("| `\(variable.rawValue)` |"))
    }

    @Test func readmeExplainExampleIsRealOutput() async throws {
        let context = CommandContext(
            environment: RunEnvironment(variables: ["IB_ROOT": Fixtures.repoRoot], workingDirectory: Fixtures.repoRoot),
            output: .capturing(), errors: .capturing(), processRunner: RecordingProcessRunner(), contactsVCenter: false)
        #expect(await ImageBuilderCommand.run(["explain", "node-ova-vsphere-ubuntu-2404", "firmware"], context: context) == 0)
        #expect(readme.contains(context.output.text))
    }

    /// No shipped var file sets a secret key: the template's `{{env}}` defaults must win.
    @Test func noShippedVarFileHoldsASecretKey() throws {
        let layout = RepoLayout(root: Fixtures.repoRoot)
        var files = (FileReader.list(layout.imagesDirectory) ?? []).map { layout.imagesDirectory + "/" + $0 }
        files += (FileReader.list(layout.sharedConfigDirectory) ?? []).map { layout.sharedConfigDirectory + "/" + $0 }
        files += ["packer-common", "vsphere", "vmx"].map { layout.root + "/packer/ova/\($0).json" }
        let loader = VarFileLoader()
        for path in files where path.hasSuffix(".json") {
            let file = try loader.load(path, origin: "test")
            #expect(!file.entries.contains { SecretVariables.isSecret($0.key) }, "\(path)")
        }
    }
}

extension String {
    fileprivate func components(_ separator: String) -> [Substring] { split(separator: separator, omittingEmptySubsequences: false) }
}
