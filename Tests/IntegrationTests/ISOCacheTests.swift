import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// Acceptance 1 (issue 4), the ISO part: an ISO every build needs is fetched into the cache
/// once, from a loopback HTTP server the test starts, and verified.
@Suite(
    .serialized,
    .enabled(
        if: (Fixtures.hasTool("packer") && Fixtures.hasTool("curl") && Fixtures.hasTool("python3")
            && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI, "needs packer, curl, python3"))
struct ISOCacheTests {
    func run(_ root: String, _ work: String, _ varFiles: String, args: [String]) async throws -> Captured {
        try await ProcessCapture.run(
            Fixtures.binary, args,
            environment: [
                "IB_ROOT": root, "PATH": "/usr/bin:/bin", "HOME": work,
                "PACKER_VAR_FILES": varFiles,
            ], workingDirectory: work)
    }

    @Test func eightBuildsFetchTheISOOnce() async throws {
        let t = try Fixtures.makeOrchestratorRoot(sleep: 0)
        let site = try Fixtures.makeTemporaryDirectory("ib-site")
        try Fixtures.write(String(repeating: "an ISO image, more or less. ", count: 40_000), to: site + "/test.iso")
        let sum = try await ProcessCapture.run("sha256sum", [site + "/test.iso"])
        let hex = String(sum.stdout.prefix(64))
        let server = try await LoopbackHTTPServer.start(serving: site)
        defer { server.stop() }
        try Fixtures.write(
            "{\"iso_url\": \"http://127.0.0.1:\(server.port)/test.iso\", \"iso_checksum\": \"sha256:\(hex)\"}", to: t.work + "/iso.json")
        let files = t.varFile + " " + t.work + "/iso.json"

        let plan = try await run(t.root, t.work, files, args: ["plan", "node-ova-local-base-ubuntu-2404"])
        let cached = t.root + "/output/.cache/iso/\(hex).iso"
        #expect(plan.stdout.contains("iso_url=file://" + cached))
        let r = try await run(t.root, t.work, files, args: ["build", "build-node-ova-local-base-all", "-j", "8"])
        #expect(r.status == 0, "\(r.stderr.suffix(2000))")
        let requests = (Fixtures.read(server.log) ?? "").split(separator: "\n").filter { $0.hasPrefix("GET /test.iso") }
        #expect(requests.count == 1, "one download for 8 builds")
        let copy = try await ProcessCapture.run("sha256sum", [cached])
        #expect(copy.stdout.hasPrefix(hex))
        // A second run uses the cache without asking the server again.
        let again = try await run(t.root, t.work, files, args: ["build", "build-node-ova-local-base-ubuntu-2404"])
        #expect(again.status == 0)
        #expect((Fixtures.read(server.log) ?? "").split(separator: "\n").filter { $0.hasPrefix("GET /test.iso") }.count == 1)
    }

    @Test func aChecksumMismatchFailsTheBuildsAndCachesNothing() async throws {
        let t = try Fixtures.makeOrchestratorRoot(sleep: 0)
        let site = try Fixtures.makeTemporaryDirectory("ib-site")
        try Fixtures.write("not what the checksum says", to: site + "/test.iso")
        let server = try await LoopbackHTTPServer.start(serving: site)
        defer { server.stop() }
        let wrong = String(repeating: "ab", count: 32)
        try Fixtures.write(
            "{\"iso_url\": \"http://127.0.0.1:\(server.port)/test.iso\", \"iso_checksum\": \"sha256:\(wrong)\"}", to: t.work + "/iso.json")
        let r = try await run(
            t.root, t.work, t.varFile + " " + t.work + "/iso.json",
            args: ["build", "node-ova-local-base-ubuntu-2404", "node-ova-local-ubuntu-2204"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("checksum mismatch: expected sha256:\(wrong)"))
        let cache = (FileReader.list(t.root + "/output/.cache/iso") ?? []).filter { !$0.hasSuffix(".lock") }
        #expect(cache.isEmpty)
    }
}
