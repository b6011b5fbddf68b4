import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

@testable import ImageBuilderCLI

/// Acceptance 4 (goal R1): each bad input exits 2 with a one-line message naming the file,
/// key or target, starts no process and leaves nothing behind.
@Suite struct BadInputTests {
    @Test func thereAreAtLeastSixtyCases() { #expect(BadInput.all.count >= 60) }

    @Test(arguments: BadInput.all)
    func exitsTwoNamingTheCulpritAndStartsNothing(_ input: BadInput) async throws {
        let root = try Fixtures.makeRepoCopy()
        let work = root + "-work"
        for (path, text) in input.files { try Fixtures.write(text, to: work + "/" + path) }
        try Fixtures.write("", to: work + "/.keep")
        for (path, text) in input.rootFiles {
            if let text { try Fixtures.write(text, to: root + "/" + path) } else { try FileWriter.remove(root + "/" + path) }
        }
        var env = ["IB_ROOT": root, "PACKER_BIN": "/bin/true", "PATH": "/usr/bin:/bin"]
        env.merge(input.env) { $1 }
        let runner = RecordingProcessRunner()
        let context = CommandContext(
            environment: RunEnvironment(variables: env, workingDirectory: work),
            output: .capturing(), errors: .capturing(), processRunner: runner, contactsVCenter: false)

        let code = await ImageBuilderCommand.run(input.args, context: context)

        #expect(code == 2)
        let lines = context.errors.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        let first = try #require(lines.first)
        #expect(first.hasPrefix("image-builder: error: "))
        for expected in input.expect {
            let text = expected.replacingOccurrences(of: "$WORK", with: work).replacingOccurrences(of: "$ROOT", with: root)
            #expect(first.contains(text), "first line: \(first)")
        }
        // One line per error; anything else is an indented detail or hint.
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("  ") || $0.hasPrefix("image-builder: error: ") })
        #expect(runner.started.isEmpty)
        #expect(!FileReader.exists(root + "/output"))
        #expect(context.output.text.isEmpty)
        if let secret = input.never {
            #expect(!context.errors.text.contains(secret))
        }
    }
}
