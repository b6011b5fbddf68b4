import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// `one publish` against the loopback OpenNebula front-end (Tests/Fixtures/one_server.py), checked
/// against what pyone, OpenNebula's own Python client, sends for the same export.
@Suite(
    .enabled(
        if: (OneServerFixture.available && SimulatorFixture.available && Fixtures.hasTool("packer") && Fixtures.hasTool("qemu-img")
            && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI,
        "needs make test-deps (pyone), go, packer, qemu-img"))
struct OpenNebulaPublishTests {
    /// A copy of the simulator build's OVA in a folder of its own (each test exports beside it).
    static func ova() async throws -> String {
        let root = try await OpenNebulaTests.built.value
        let directory = try Fixtures.makeTemporaryDirectory("ib-one-ova")
        let path = directory + "/\(OpenNebulaTests.name).ova"
        try FileManager.default.copyItem(atPath: root + OpenNebulaTests.output + "/\(OpenNebulaTests.name).ova", toPath: path)
        return path
    }

    static func publish(_ ova: String, _ arguments: [String], environment: [String: String]) async throws -> Captured {
        try await OpenNebulaTests.one(Paths.dirname(ova), ["publish", ova, "--poll", "0"] + arguments, environment: environment)
    }

    @Test(.timeLimit(.minutes(10)))
    func publishAllocatesPollsAndMakesTheTemplateAsPyoneDoes() async throws {
        let ova = try await Self.ova()
        let server = try await OneServerFixture.start()
        defer { server.stop() }
        let run = try await Self.publish(ova, ["--datastore", "default"], environment: server.environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("OpenNebula image 1") && run.stdout.contains("VM template 101"), "\(run.stdout)")
        let ours = server.calls()
        #expect(ours.contains { $0.contains("\"one.image.allocate\"") } && ours.last?.contains("\"one.template.allocate\"") == true)
        #expect(Fixtures.read(server.folder + "/template-101.one") == Fixtures.read(Paths.dirname(ova) + "/opennebula/vm.one"))

        // pyone publishes the same export to a second front-end: the same calls, types and values.
        let second = try await OneServerFixture.start()
        defer { second.stop() }
        let pyone = try await ProcessCapture.run(
            OneServerFixture.pyoneVenv + "/bin/python",
            [Fixtures.repoRoot + "/Tests/Fixtures/pyone_publish.py", Paths.dirname(ova) + "/opennebula", "1"],
            environment: second.environment.merging(["PATH": "/usr/bin:/bin"]) { $1 })
        #expect(pyone.status == 0, "\(pyone.stderr.suffix(2000))")
        #expect(second.calls() == ours, "ours: \(ours)\npyone: \(second.calls())")

        // Again: the image and the template of that name are reused; nothing is allocated.
        let again = try await Self.publish(ova, ["--datastore", "1"], environment: server.environment)
        #expect(again.status == 0 && again.stdout.contains("(reused)"), "\(again.stdout)\(again.stderr)")
        #expect(server.calls().filter { $0.contains("allocate") }.count == 2)

        // --replace: a new image under a temporary name, READY, then the old one goes and the name moves.
        let replaced = try await Self.publish(ova, ["--datastore", "default", "--replace"], environment: server.environment)
        #expect(replaced.status == 0, "\(replaced.stderr)")
        let calls = server.calls()
        #expect(calls.contains { $0.contains("\"one.image.delete\"") && $0.contains("\"value\": 1}") }, "\(calls)")
        #expect(calls.contains { $0.contains("\"one.image.rename\"") && $0.contains("\"value\": 2}") }, "\(calls)")
        #expect(!(run.stdout + run.stderr + replaced.stderr).contains(server.session))
    }

    @Test(.timeLimit(.minutes(10)))
    func anErrorImageBadCredentialsAndAnUnknownDatastore() async throws {
        let ova = try await Self.ova()
        let server = try await OneServerFixture.start(["--fail-image", OpenNebulaTests.name])
        defer { server.stop() }
        let failed = try await Self.publish(ova, ["--datastore", "default"], environment: server.environment)
        #expect(failed.status == 1, "\(failed.stderr)")
        #expect(failed.stderr.contains("is in ERROR: Error copying image in the datastore: cannot read the VMDK descriptor"), "\(failed.stderr)")
        // The image this run allocated is deleted, by id; no template was made.
        #expect(server.calls().contains { $0.contains("\"one.image.delete\"") && $0.contains("\"value\": 1}") })
        #expect(!server.calls().contains { $0.contains("one.template.allocate") })

        let wrong = server.environment.merging(["ONE_AUTH": "oneadmin:wrong-password"]) { $1 }
        let refused = try await Self.publish(ova, ["--datastore", "default"], environment: wrong)
        #expect(refused.status == 3 && refused.stderr.contains("refused the credentials"), "\(refused.stderr)")

        let unknown = try await Self.publish(ova, ["--datastore", "nope"], environment: server.environment)
        #expect(unknown.status == 2 && unknown.stderr.contains("no image datastore 'nope'"), "\(unknown.stderr)")
        #expect(unknown.stderr.contains("1 default") && unknown.stderr.contains("100 vcenter-ds (IMG)"))

        let nowhere = try await Self.publish(
            ova, ["--datastore", "default"], environment: ["ONE_XMLRPC": "http://127.0.0.1:9/RPC2", "ONE_AUTH": "a:b"])
        #expect(nowhere.status == 3, "\(nowhere.stderr)")
    }
}
