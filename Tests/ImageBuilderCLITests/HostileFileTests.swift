import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

@testable import ImageBuilderCLI

#if canImport(Glibc)
    import Glibc
#endif

/// Var files that are not regular files are named and refused (exit 2), never read: a FIFO
/// would block forever and /dev/zero grows without bound (issue 12, item 7).
/// (The limit allows for a loaded CI machine: each case copies the repository first; one took 91 s.)
@Suite(.timeLimit(.minutes(5))) struct HostileFileTests {
    static func run(_ args: [String], varFiles: String, work: String, root: String) async -> (code: Int32, error: String) {
        let env = ["IB_ROOT": root, "PACKER_BIN": "/bin/true", "PATH": "/usr/bin:/bin", "PACKER_VAR_FILES": varFiles]
        let context = CommandContext(
            environment: RunEnvironment(variables: env, workingDirectory: work),
            output: .capturing(), errors: .capturing(), processRunner: RecordingProcessRunner(), contactsVCenter: false)
        let code = await ImageBuilderCommand.run(args, context: context)
        return (code, context.errors.text.split(separator: "\n").first.map(String.init) ?? "")
    }

    static func setUp() throws -> (root: String, work: String) {
        let root = try Fixtures.makeRepoCopy()
        let work = try Fixtures.makeTemporaryDirectory("ib-hostile-files")
        try #require(mkfifo(work + "/fifo.json", 0o600) == 0)
        try #require(symlink(work + "/loop-b.json", work + "/loop-a.json") == 0)
        try #require(symlink(work + "/loop-a.json", work + "/loop-b.json") == 0)
        try Fixtures.write("", to: work + "/dir.json/.keep")
        return (root, work)
    }

    @Test(arguments: [["build", "node-ova-local-ubuntu-2404"], ["plan", "node-ova-local-ubuntu-2404"], ["explain", "node-ova-local-ubuntu-2404"]])
    func refusedNamingWhatItIs(_ args: [String]) async throws {
        let (root, work) = try Self.setUp()
        let cases = [
            ("fifo.json", "is a FIFO, not a regular file"), ("/dev/zero", "is a character device, not a regular file"),
            ("loop-a.json", "is a symlink loop, not a regular file"), ("dir.json", "is a directory"),
        ]
        for (file, message) in cases {
            let (code, error) = await Self.run(args, varFiles: file, work: work, root: root)
            #expect(code == 2, "\(file)")
            #expect(error.contains(file.hasPrefix("/") ? file : work + "/" + file) && error.contains(message), "\(error)")
        }
        #expect(!FileReader.exists(root + "/output"))
    }

    @Test("a var file over the size cap is refused, not read")
    func tooLargeIsRefused() async throws {
        let (root, work) = try Self.setUp()
        let made = try await ProcessCapture.run("/usr/bin/truncate", ["-s", "17M", work + "/huge.json"])
        #expect(made.status == 0)
        let (code, error) = await Self.run(["plan", "node-ova-local-ubuntu-2404"], varFiles: "huge.json", work: work, root: root)
        #expect(code == 2)
        #expect(error.contains("huge.json: larger than 16 MiB; not read"), "\(error)")
    }
}
