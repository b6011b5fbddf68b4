import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// The ISO cache's download (async-http-client) and verification (swift-crypto), against a
/// loopback HTTP server the test starts: SHA-512 as Photon publishes it, bare checksums by length.
@Suite(.enabled(if: Fixtures.hasTool("python3") || Fixtures.isCI, "needs python3"))
struct ISOFetcherTests {
    static func serve(_ text: String) async throws -> (server: LoopbackHTTPServer, site: String, root: String) {
        let site = try Fixtures.makeTemporaryDirectory("ib-site")
        try Fixtures.write(text, to: site + "/test.iso")
        return (try await LoopbackHTTPServer.start(serving: site), site, try Fixtures.makeTemporaryDirectory("ib-cache"))
    }

    static func digest(_ tool: String, _ path: String) async throws -> String {
        String(try await ProcessCapture.run(tool, [path]).stdout.prefix { $0 != " " })
    }

    static func requests(_ server: LoopbackHTTPServer) -> Int {
        (Fixtures.read(server.log) ?? "").split(separator: "\n").filter { $0.hasPrefix("GET /test.iso") }.count
    }

    @Test("a sha512: checksum (Photon's) is verified, cached under its own name, and fetched once")
    func sha512IsVerifiedAndCachedOnce() async throws {
        let (server, site, root) = try await Self.serve(String(repeating: "photon minimal ", count: 50_000))
        defer { server.stop() }
        let hex = try await Self.digest("sha512sum", site + "/test.iso")
        let download = try #require(
            ISOCache.plan(
                url: "http://127.0.0.1:\(server.port)/test.iso", checksum: "sha512:" + hex,
                layout: RepoLayout(root: root)))
        #expect(download.path.hasSuffix("/.cache/iso/sha512-\(hex).iso"))
        try await ISOFetcher.ensure(download) {}
        try await ISOFetcher.ensure(download) {}
        #expect(try await Self.digest("sha512sum", download.path) == hex)
        #expect(Self.requests(server) == 1)
    }

    @Test("bare checksums are read by their length: 64 digits sha256, 128 sha512, others not cached")
    func bareChecksumsByLength() async throws {
        let (server, site, root) = try await Self.serve("a small image")
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/test.iso"
        let layout = RepoLayout(root: root)
        let sha256 = try await Self.digest("sha256sum", site + "/test.iso")
        let sha512 = try await Self.digest("sha512sum", site + "/test.iso")
        #expect(ISOCache.plan(url: url, checksum: sha256.uppercased(), layout: layout)?.checksum.algorithm == .sha256)
        #expect(ISOCache.plan(url: url, checksum: sha512, layout: layout)?.checksum.algorithm == .sha512)
        #expect(ISOCache.plan(url: url, checksum: String(sha256.dropLast()), layout: layout) == nil)
        #expect(ISOCache.plan(url: url, checksum: "md5:" + String(sha256.prefix(32)), layout: layout) == nil)
        #expect(ISOCache.plan(url: url, checksum: "file:" + url + ".DIGESTS", layout: layout) == nil)
        #expect(ISOCache.plan(url: "file:///x.iso", checksum: sha256, layout: layout) == nil)
        let download = try #require(ISOCache.plan(url: url, checksum: sha512, layout: layout))
        try await ISOFetcher.ensure(download) {}
        #expect(FileReader.exists(download.path))
    }

    @Test("a mismatch names both checksums and caches nothing, not even a partial file")
    func aMismatchCachesNothing() async throws {
        let (server, _, root) = try await Self.serve("not what the checksum says")
        defer { server.stop() }
        let wrong = String(repeating: "ab", count: 64)
        let download = try #require(
            ISOCache.plan(
                url: "http://127.0.0.1:\(server.port)/test.iso", checksum: "sha512:" + wrong,
                layout: RepoLayout(root: root)))
        await #expect {
            try await ISOFetcher.ensure(download) {}
        } throws: { error in
            guard case .isoChecksumMismatch(_, let expected, let actual) = error as? RunError else { return false }
            return expected == "sha512:" + wrong && actual.hasPrefix("sha512:") && actual != expected
        }
        let cached = (FileReader.list(root + "/output/.cache/iso") ?? []).filter { !$0.hasSuffix(".lock") }
        #expect(cached.isEmpty)
    }

    @Test("a missing file on the server is a download failure")
    func aMissingFileFailsTheDownload() async throws {
        let (server, _, root) = try await Self.serve("x")
        defer { server.stop() }
        let download = try #require(
            ISOCache.plan(
                url: "http://127.0.0.1:\(server.port)/missing.iso",
                checksum: String(repeating: "0", count: 64), layout: RepoLayout(root: root)))
        await #expect {
            try await ISOFetcher.ensure(download) {}
        } throws: { error in
            if case .isoDownload(_, let reason) = error as? RunError { return reason.contains("404") }
            return false
        }
    }
}
