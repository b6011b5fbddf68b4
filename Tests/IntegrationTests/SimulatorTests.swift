import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// The embedded simulator (issue 5, first part): built from Debian's govmomi with Debian's Go,
/// on 127.0.0.1 with its own CA, described by a 0600 var file with the simulator marker.
@Suite(
    .serialized,
    .enabled(
        if: (Fixtures.hasTool("go") && FileReader.isDirectory("/usr/share/gocode/src/github.com/vmware/govmomi")
            && Fixtures.hasTool("curl") && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI,
        "needs go, govmomi's source (make deps-ova), curl"))
struct SimulatorTests {
    func ib(_ args: [String], root: String) async throws -> Captured {
        try await ProcessCapture.run(
            Fixtures.binary, args,
            environment: [
                "IB_ROOT": root, "PATH": "/usr/bin:/bin", "HOME": "/tmp",
                // One Go build cache for all the tests' repository copies.
                "IB_GOCACHE": Fixtures.repoRoot + "/.build-tools/gocache",
            ])
    }

    @Test(.timeLimit(.minutes(10)))
    func startServesVerifiedTLSAndStopEndsIt() async throws {
        let root = try Fixtures.makeRepoCopy()
        let start = try await ib(["sim", "start"], root: root)
        #expect(start.status == 0, "\(start.stderr)")
        let varFile = root + "/output/sim/vsphere.json"
        defer { Task { _ = try? await ib(["sim", "stop"], root: root) } }
        #expect(try FileManagerMode.of(varFile) == 0o600)
        let vars = try JSONParser.parse(try #require(Fixtures.read(varFile)))
        #expect(vars["ib_profile"] == .string("simulator"))
        let host = try #require(vars["vcenter_server"]?.stringValue)
        #expect(host.hasPrefix("127.0.0.1:"))
        let ca = try #require(vars["ib_ca_file"]?.stringValue)

        // TLS verifies with the simulator's CA (2048-bit: OpenSSL 3 accepts it) and fails without.
        let about = try await ProcessCapture.run("curl", ["-sS", "--cacert", ca, "https://\(host)/about"])
        #expect(about.status == 0 && about.stdout.contains("RetrieveServiceContent"), "\(about.stderr)")
        #expect(try await ProcessCapture.run("curl", ["-sS", "https://\(host)/about"]).status != 0)
        let session = try await ProcessCapture.run(
            "curl",
            [
                "-sS", "--cacert", ca, "-X", "POST", "-u",
                "\(vars["username"]?.stringValue ?? ""):\(vars["password"]?.stringValue ?? "")",
                "https://\(host)/rest/com/vmware/cis/session",
            ])
        #expect(session.stdout.contains("\"value\""))

        // `sim env` points a plain build at it: nothing is missing any more.
        let env = try await ib(["sim", "env"], root: root)
        #expect(env.stdout == "export PACKER_VAR_FILES=\(varFile)\n")
        let plan = try await ProcessCapture.run(
            Fixtures.binary, ["plan", "--json", "node-ova-vsphere-ubuntu-2404"],
            environment: ["IB_ROOT": root, "PACKER_VAR_FILES": varFile])
        #expect(try JSONParser.parse(plan.stdout)["plans"]?.arrayValue?.first?["missingSettings"] == .array([]))

        // Starting again reuses it; stopping ends it.
        let again = try await ib(["sim", "start"], root: root)
        #expect(again.stdout.contains(host))
        let stop = try await ib(["sim", "stop"], root: root)
        #expect(stop.stdout.contains("simulator stopped"))
        #expect(try await ProcessCapture.run("curl", ["-sS", "--cacert", ca, "https://\(host)/about"]).status != 0)
        #expect(try await ib(["sim", "env"], root: root).status == 2)
    }
}
