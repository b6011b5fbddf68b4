import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// The real binary, as users run it.
@Suite(.enabled(if: FileReader.isExecutable(Fixtures.binary), "needs the built CLI"))
struct BinaryTests {
    @Test func findsTheRootFromTheWorkingDirectoryAndResolvesUserPathsThere() async throws {
        let sub = Fixtures.repoRoot + "/packer/config"
        let r = try await ProcessCapture.run(
            Fixtures.binary, ["plan", "--json", "node-ova-local-rhel-9"],
            environment: ["PATH": "/usr/bin:/bin", "PACKER_VAR_FILES": "common.json"],
            workingDirectory: sub)
        #expect(r.status == 0, "\(r.stderr)")
        let plan = try #require(try JSONParser.parse(r.stdout)["plans"]?.arrayValue?.first)
        let files = plan["varFiles"]?.arrayValue?.compactMap { $0["path"]?.stringValue } ?? []
        #expect(files.last == sub + "/common.json")
    }

    @Test func badInputExitsTwoWithoutStartingPacker() async throws {
        let work = try Fixtures.makeTemporaryDirectory()
        let log = work + "/packer.log"
        let packer = try Fixtures.recordingPacker(in: work, log: log)
        try Fixtures.write("{\"a\": [1]}", to: work + "/v.json")
        let r = try await ProcessCapture.run(
            Fixtures.binary, ["build", "node-ova-local-rhel-9", "node-ova-vsphere-rhel-9"],
            environment: ["IB_ROOT": Fixtures.repoRoot, "PACKER_BIN": packer, "PACKER_VAR_FILES": "v.json"],
            workingDirectory: work)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("image-builder: error: \(work)/v.json:1: key 'a'"))
        #expect(!FileReader.exists(log))
    }

    @Test func validateRunsPackerValidateWithPlaceholders() async throws {
        guard Fixtures.hasTool("packer") || Fixtures.isCI else { return }
        let r = try await ProcessCapture.run(
            Fixtures.binary, ["validate", "validate-node-ova-vsphere-clone-ubuntu-2404"],
            environment: ["IB_ROOT": Fixtures.repoRoot, "PATH": "/usr/bin:/bin"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("placeholders"))
        #expect(r.stdout.contains("validate-node-ova-vsphere-clone-ubuntu-2404") && r.stdout.contains("succeeded"))
    }
}
