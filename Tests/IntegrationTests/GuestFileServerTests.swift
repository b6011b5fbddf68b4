import ImageBuilderBasics
import ImageBuilderKit
import ImageBuilderTestSupport
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What a qemu build serves its guest on loopback (issue 20): the folder's regular files and
/// nothing else, read by curl as the guest's apt and ansible would; every request logged.
@Suite(.enabled(if: Fixtures.hasTool("curl") || Fixtures.isCI, "needs curl"))
struct GuestFileServerTests {
    static func curl(_ port: Int, _ arguments: [String]) async throws -> Captured {
        try await ProcessCapture.run(
            "curl",
            ["-s", "--path-as-is", "--max-time", "20", "-w", "\n%{http_code}"]
                + arguments.map { $0.replacingOccurrences(of: "PORT", with: "\(port)") },
            environment: ["PATH": "/usr/bin:/bin"])
    }

    @Test func itServesTheFolderAndRefusesEverythingElse() async throws {
        let outside = try Fixtures.makeTemporaryDirectory("ib-outside")
        try Fixtures.write("outside secret", to: outside + "/secret")
        let folder = try Fixtures.makeTemporaryDirectory("ib-guest-files")
        try Fixtures.write("Package: curl\n", to: folder + "/debian/Packages")
        let big = String(repeating: "0123456789abcdef", count: 1 << 16)
        try Fixtures.write(big, to: folder + "/containerd/containerd.tar.gz")
        try Fixtures.write("linked\n", to: outside + "/runc.amd64")
        try FileWriter.makeDirectory(folder + "/runc")
        #expect(symlink(outside + "/runc.amd64", folder + "/runc/runc.amd64") == 0)
        #expect(mkfifo(folder + "/fifo", 0o644) == 0)
        let lines = Mutex<[String]>([])
        let server = try await GuestFileServer.start(serving: folder) { line in lines.withLock { $0.append(line) } }
        defer { server.stop() }

        // Files, in the folder or linked from it by its owner; two on one connection.
        let two = try await Self.curl(server.port, ["http://127.0.0.1:PORT/debian/./Packages", "http://127.0.0.1:PORT/runc/runc.amd64"])
        #expect(two.stdout == "Package: curl\n\n200linked\n\n200", "\(two.stdout)")
        let large = try await Self.curl(server.port, ["http://127.0.0.1:PORT/containerd/containerd.tar.gz"])
        #expect(large.stdout == big + "\n200")
        let head = try await Self.curl(server.port, ["-I", "http://127.0.0.1:PORT/containerd/containerd.tar.gz"])
        #expect(head.stdout.contains("Content-Length: \(big.utf8.count)") && head.stdout.hasSuffix("200"), "\(head.stdout)")

        // Nothing else: no parent, encoded or not; no listings; no FIFO (answered at once); GET only.
        for path in ["/../\(Paths.basename(outside))/secret", "/%2e%2e/\(Paths.basename(outside))/secret", "/debian/", "/", "/fifo", "/missing"] {
            let refused = try await Self.curl(server.port, ["http://127.0.0.1:PORT" + path])
            #expect(refused.status == 0 && refused.stdout == "\n404", "\(path): \(refused.stdout)")
        }
        let post = try await Self.curl(server.port, ["-X", "POST", "-d", "x", "http://127.0.0.1:PORT/debian/Packages"])
        #expect(post.stdout == "\n405")
        #expect(!FileReader.exists(folder + "/x"))

        // Every request is a line for the build's log.
        let logged = lines.withLock { $0 }
        #expect(logged.contains("GET /debian/./Packages 200 14 bytes"), "\(logged)")
        #expect(logged.contains("GET /fifo 404") && logged.contains("POST /debian/Packages 405"), "\(logged)")
        #expect(logged.count == 11, "\(logged)")
    }
}
