import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// `maas publish` against the loopback MAAS (issue 14, acceptance 3–5), cross-checked with
/// python-libmaas.
@Suite(.enabled(if: (MAASServerFixture.available && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI, "needs make test-deps"))
struct MAASPublishTests {
    /// Random bytes from /dev/urandom (by head: generating them here would hold a thread of the
    /// suite's small pool for seconds).
    static func image(_ bytes: Int) async throws -> String {
        let path = try Fixtures.makeTemporaryDirectory("ib-maas-image") + "/esxi-8.0.dd.gz"
        let made = try await ProcessCapture.run("/bin/sh", ["-c", "head -c \(bytes) /dev/urandom > \"$1\"", "sh", path])
        guard made.status == 0, FileReader.size(path) == Int64(bytes) else { throw ImageNotMade() }
        return path
    }

    struct ImageNotMade: Error {}

    static func publish(_ file: String, _ arguments: [String] = ["--name", "esxi/8.0"], environment: [String: String]) async throws -> Captured {
        var env = environment
        env["PATH"] = "/usr/bin:/bin"
        return try await ProcessCapture.run(Fixtures.binary, ["maas", "publish", file] + arguments, environment: env)
    }

    static func same(_ a: String, _ b: String) -> Bool {
        guard let left = FileManager.default.contents(atPath: a), let right = FileManager.default.contents(atPath: b) else { return false }
        return left == right
    }

    @Test(.timeLimit(.minutes(10)))
    func nineMiBIsOnePostAndThreeSignedPutsAndARerunSendsNone() async throws {
        let server = try await MAASServerFixture.start()
        defer { server.stop() }
        let file = try await Self.image(9 << 20)
        let run = try await Self.publish(file, environment: server.environment)
        #expect(run.status == 0, "\(run.stderr)")
        let requests = server.requests()
        #expect(requests.filter { $0["method"] == "POST" }.count == 1)
        let puts = requests.filter { $0["method"] == "PUT" }
        #expect(puts.map { $0["length"] ?? "" } == ["4194304", "4194304", "1048576"])
        #expect(puts.allSatisfy { $0["length"] == $0["received"] })
        #expect(requests.allSatisfy { $0["auth"] == "ok" }, "\(requests)")
        #expect(Self.same(file, server.stored(1)))

        let again = try await Self.publish(file, environment: server.environment)
        #expect(again.status == 0 && again.stdout.contains("(already there)"), "\(again.stdout)\(again.stderr)")
        #expect(server.requests().filter { $0["method"] == "PUT" }.count == 3)
        #expect(!(run.stdout + run.stderr + again.stderr).contains(server.apiKey.split(separator: ":")[2]))

        // python-libmaas uploads the same file to the same server: identical stored bytes.
        let libmaas = try await ProcessCapture.run(
            MAASServerFixture.libmaasVenv + "/bin/python", [Fixtures.repoRoot + "/Tests/Fixtures/libmaas_upload.py", file, "esxi/8.0-libmaas"],
            environment: server.environment.merging(["PATH": "/usr/bin:/bin"]) { $1 })
        #expect(libmaas.status == 0, "\(libmaas.stderr.suffix(2000))")
        #expect(Self.same(server.stored(1), server.stored(2)))
        #expect(server.requests().filter { $0["method"] == "PUT" }.count == 6)
    }

    @Test(.timeLimit(.minutes(10)))
    func a5xxIsRetriedAndALostAnswerIsNotSentTwice() async throws {
        // PUT 2 answers 503 (nothing stored); PUT 3 is stored, then the connection drops.
        let server = try await MAASServerFixture.start(["--fail-put", "2:503", "--drop-after-store", "3"])
        defer { server.stop() }
        let file = try await Self.image(9 << 20)
        let run = try await Self.publish(file, environment: server.environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("503") && run.stderr.contains("retrying"))
        let puts = server.requests().filter { $0["method"] == "PUT" }
        // c1, c2 (503), c2 (stored, answer lost), c3: the third chunk follows what MAAS holds.
        #expect(puts.map { $0["length"] ?? "" } == ["4194304", "4194304", "4194304", "1048576"])
        #expect(Self.same(file, server.stored(1)))
    }

    @Test(.timeLimit(.minutes(10)))
    func a4xxQuotesMAASAndAWrongKeyIsExit3() async throws {
        let server = try await MAASServerFixture.start(["--fail-put", "1:400"])
        defer { server.stop() }
        let file = try await Self.image(5 << 20)
        let refused = try await Self.publish(file, environment: server.environment)
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("MAAS answered 400 to PUT") && refused.stderr.contains("Injected failure"))
        #expect(server.requests().filter { $0["method"] == "PUT" }.count == 1)

        var wrong = server.environment
        let parts = server.apiKey.split(separator: ":")
        wrong["MAAS_API_KEY"] = "\(parts[0]):\(parts[1]):not-the-secret"
        let denied = try await Self.publish(file, environment: wrong)
        #expect(denied.status == 3, "\(denied.stderr)")
        #expect(denied.stderr.contains("refused the API key (401)") && !denied.stderr.contains("not-the-secret"))
    }

    @Test func badInputIsExit2BeforeMAASIsAsked() async throws {
        let server = try await MAASServerFixture.start()
        defer { server.stop() }
        let file = try await Self.image(1024)
        for (arguments, environment, text) in [
            (["--name", "esxi"], server.environment, "is not os/release"),
            (["--name", "esxi/8.0", "--architecture", "amd64"], server.environment, "is not arch/subarch"),
            (["--name", "esxi/8.0", "--filetype", "zip"], server.environment, "is not one MAAS takes"),
            (["--name", "esxi/8.0"], ["MAAS_URL": server.url], "MAAS_API_KEY is not set"),
            (["--name", "esxi/8.0"], ["MAAS_URL": server.url, "MAAS_API_KEY": "only:two"], "not a MAAS API key"),
        ] {
            let run = try await Self.publish(file, arguments, environment: environment)
            #expect(run.status == 2 && run.stderr.contains(text), "\(arguments): \(run.stderr)")
        }
        let missing = try await Self.publish(file + ".absent", environment: server.environment)
        #expect(missing.status == 2 && missing.stderr.contains("no such file"))
        #expect(server.requests().isEmpty)
    }

    @Test(.timeLimit(.minutes(10)))
    func makePublishMaasEsxiUploadsWhatTheBuildLeft() async throws {
        let server = try await MAASServerFixture.start()
        defer { server.stop() }
        let root = try Fixtures.makeRepoCopy()
        var env = server.environment.merging(["PATH": "/usr/bin:/bin", "IB_BIN": Fixtures.binary]) { $1 }
        let none = try await ProcessCapture.run("/usr/bin/make", ["-s", "-C", root, "publish-maas-esxi"], environment: env)
        #expect(none.status != 0 && none.stderr.contains("ESXI_RELEASE"), "\(none.stderr)")
        try FileManager.default.createDirectory(atPath: root + "/output/esxi-8.0", withIntermediateDirectories: true)
        let file = try await Self.image(5 << 20)
        try FileManager.default.copyItem(atPath: file, toPath: root + "/output/esxi-8.0/esxi-8.0.dd.gz")
        let run = try await ProcessCapture.run("/usr/bin/make", ["-s", "-C", root, "publish-maas-esxi"], environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        let form = server.requests().first { $0["method"] == "FORM" }
        #expect(form?["name"] == "esxi/8.0" && form?["title"] == "VMware ESXi 8.0" && form?["filetype"] == "ddgz", "\(String(describing: form))")
        #expect(Self.same(file, server.stored(1)))
        // Two releases built: the one to publish must be named.
        try FileManager.default.createDirectory(atPath: root + "/output/esxi-7.0", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: file, toPath: root + "/output/esxi-7.0/esxi-7.0.dd.gz")
        let two = try await ProcessCapture.run("/usr/bin/make", ["-s", "-C", root, "publish-maas-esxi"], environment: env)
        #expect(two.status == 2 && two.stderr.contains("several releases are built (7.0, 8.0)"), "\(two.stderr)")
        env["ESXI_RELEASE"] = "7.0"
        let named = try await ProcessCapture.run("/usr/bin/make", ["-s", "-C", root, "publish-maas-esxi"], environment: env)
        #expect(named.status == 0 && named.stdout.contains("esxi/7.0"), "\(named.stdout)\(named.stderr)")
    }
}
