import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing
import VSphereKit

/// Issue 18, acceptance 3 and 4: each distinct ISO reaches the datastore once. A small ISO made
/// with xorriso is served on loopback; four simulator builds in two image-builder processes at
/// once take it from the datastore; uploads are counted by the simulator at its datastore.
@Suite(
    .enabled(
        if: (SimulatorFixture.available && Fixtures.hasTool("packer") && Fixtures.hasTool("xorriso") && FileReader.isExecutable(Fixtures.binary))
            || Fixtures.isCI, "needs go, govmomi's source, packer and xorriso"))
struct ISODatastoreCacheTests {
    static let systems = ["ubuntu-2404", "ubuntu-2404-efi", "ubuntu-2204", "ubuntu-2204-efi"]

    static func isoUploads(_ root: String) -> [String] {
        // One `PUT <path> <bytes>` line per upload into image-builder/ (hack/vcsim); ISOs go to
        // a `.part` name first.
        (Fixtures.read(root + "/output/sim/run/datastore-uploads.log") ?? "").split(separator: "\n").map(String.init)
            .filter { $0.contains(".part ") }
    }

    @Test(.timeLimit(.minutes(10)))
    func fourBuildsInTwoProcessesUploadTheISOOnceAndARerunNone() async throws {
        let root = try Fixtures.makeRepoCopy()
        let serve = try Fixtures.makeTemporaryDirectory("ib-iso-serve")
        let content = try Fixtures.makeTemporaryDirectory("ib-iso-content")
        try Fixtures.write(String(repeating: "installer ", count: 30000), to: content + "/install.txt")
        let made = try await ProcessCapture.run(
            "/usr/bin/xorriso", ["-as", "mkisofs", "-quiet", "-V", "TESTISO", "-o", serve + "/test.iso", content])
        try #require(made.status == 0, "\(made.stderr)")
        let size = try #require(FileReader.size(serve + "/test.iso"))
        let sum = try await ProcessCapture.run("/usr/bin/sha256sum", [serve + "/test.iso"])
        let sha = String(sum.stdout.prefix(64))
        let server = try await LoopbackHTTPServer.start(serving: serve)
        defer { server.stop() }
        let simulator = try await SimulatorFixture.start(in: root)
        defer { Task { await simulator.stop() } }
        try Fixtures.write(
            "{\"iso_url\": \"http://127.0.0.1:\(server.port)/test.iso\", \"iso_checksum\": \"sha256:\(sha)\"}", to: root + "/iso.json")
        let perOS = Self.systems.flatMap { ["--var-file", "\($0)=\(root)/iso.json"] }

        func build(_ systems: [String]) async throws -> Captured {
            try await StallWatchdogTests.build(root, systems.map { "node-ova-vsphere-" + $0 } + ["-j", "2"] + perOS, environment: [:])
        }
        async let first = build(Array(Self.systems.prefix(2)))
        async let second = build(Array(Self.systems.suffix(2)))
        let (a, b) = try await (first, second)
        #expect(a.status == 0, "\(a.stdout.suffix(2000))\(a.stderr.suffix(2000))")
        #expect(b.status == 0, "\(b.stdout.suffix(2000))\(b.stderr.suffix(2000))")
        let uploads = Self.isoUploads(root)
        #expect(uploads.count == 1, "\(uploads)")
        #expect(uploads.first?.hasSuffix(" \(size)") == true, "\(uploads)")
        // The local cache fetched it once too.
        let fetched = (Fixtures.read(server.log) ?? "").split(separator: "\n").filter { $0.hasPrefix("GET /test.iso") }
        #expect(fetched.count == 1, "\(fetched)")

        // packer took it from the datastore: iso_datastore_path on its command line, no URL.
        let log = try #require(Fixtures.read(root + "/output/logs/node-ova-vsphere-ubuntu-2204.log"))
        let argv = try #require(log.split(separator: "\n").first)
        #expect(argv.contains("iso_datastore_path=[LocalDS_0] image-builder/iso/\(sha).iso") && !argv.contains("iso_url"), "\(argv)")

        // A rerun uploads nothing.
        for system in Self.systems {
            _ = try await ProcessCapture.run(
                Fixtures.binary, ["clean", "node-ova-vsphere-" + system], environment: ["IB_ROOT": root, "PATH": "/usr/bin:/bin"])
        }
        let client = VSphereClient(
            host: simulator.host, username: simulator.username, password: simulator.password,
            transport: try AHCTransport(host: simulator.host, trust: .caFile(simulator.caFile)))
        for system in Self.systems.prefix(1) {
            let vm = try await client.requireVM("\(system)-kube-v1.36.1")
            try await client.destroy(vm)
        }
        let again = try await build(Array(Self.systems.prefix(1)))
        #expect(again.status == 0, "\(again.stdout.suffix(2000))\(again.stderr.suffix(2000))")
        #expect(Self.isoUploads(root).count == 1, "\(Self.isoUploads(root))")

        // Acceptance 4: a sidecar that disagrees means the cached ISO is not used: uploaded again.
        try Fixtures.write("sha256:\(String(repeating: "0", count: 64)) \(size)\n", to: root + "/bad.checksum")
        let datacenter = try await client.datacenterName(of: try await client.requireVM("ubuntu-2404-efi-kube-v1.36.1"))
        let sidecar = try #require(VSphereClient.DatastorePath("[LocalDS_0] image-builder/iso/\(sha).iso.checksum"))
        try await client.uploadToDatastore(
            root + "/bad.checksum", size: Int64(FileReader.size(root + "/bad.checksum") ?? 0), as: sidecar, datacenter: datacenter)
        try await client.destroy(try await client.requireVM("ubuntu-2404-kube-v1.36.1"))
        let corrupt = try await build(Array(Self.systems.prefix(1)))
        #expect(corrupt.status == 0, "\(corrupt.stdout.suffix(2000))\(corrupt.stderr.suffix(2000))")
        #expect(Self.isoUploads(root).count == 2, "\(Self.isoUploads(root))")
        #expect(
            corrupt.stdout.contains("its checksum sidecar does not match")
                || (Fixtures.read(root + "/output/logs/node-ova-vsphere-ubuntu-2404.log") ?? "").contains("its checksum sidecar does not match"))

        // `vsphere iso ls` shows it, consistent; `prune` removes it and its sidecar.
        let ls = try await ProcessCapture.run(
            Fixtures.binary, ["vsphere", "iso", "ls", "--var-file", simulator.varFile],
            environment: ["IB_ROOT": root, "PATH": "/usr/bin:/bin", "HOME": root])
        #expect(
            ls.status == 0 && ls.stdout.contains("[LocalDS_0] image-builder/iso/\(sha).iso") && ls.stdout.contains(" ok"), "\(ls.stdout)\(ls.stderr)")
        let prune = try await ProcessCapture.run(
            Fixtures.binary, ["vsphere", "iso", "prune", "--var-file", simulator.varFile],
            environment: ["IB_ROOT": root, "PATH": "/usr/bin:/bin", "HOME": root])
        #expect(
            prune.status == 0 && prune.stdout.contains("removed [LocalDS_0] image-builder/iso/\(sha).iso.checksum"), "\(prune.stdout)\(prune.stderr)")
        #expect(try await client.listDatastoreFolder("image-builder/iso", datastore: "LocalDS_0").isEmpty)
        await client.logout()
    }

    /// `iso_datastore_path`: an ISO already on a datastore is used with no download and no
    /// upload; one that is not there fails the build naming it; a malformed one is exit 2.
    @Test(.timeLimit(.minutes(10)))
    func anISOAlreadyOnTheDatastoreIsUsedAsItIs() async throws {
        let root = try Fixtures.makeRepoCopy()
        let simulator = try await SimulatorFixture.start(in: root)
        defer { Task { await simulator.stop() } }
        try Fixtures.write(#"{"iso_datastore_path": "isos/given.iso"}"#, to: root + "/bad.json")
        let bad = try await StallWatchdogTests.build(
            root, ["node-ova-vsphere-ubuntu-2404", "--var-file", "ubuntu-2404=\(root)/bad.json"], environment: [:])
        #expect(bad.status == 2 && bad.stderr.contains("bad.json:1") && bad.stderr.contains("iso_datastore_path"), "\(bad.stderr)")

        try Fixtures.write(#"{"iso_datastore_path": "[LocalDS_0] isos/given.iso"}"#, to: root + "/given.json")
        let missing = try await StallWatchdogTests.build(
            root, ["node-ova-vsphere-ubuntu-2404", "--var-file", "ubuntu-2404=\(root)/given.json"], environment: [:])
        #expect(missing.status == 1 && missing.stdout.contains("iso_datastore_path [LocalDS_0] isos/given.iso does not exist"), "\(missing.stdout)")

        let client = VSphereClient(
            host: simulator.host, username: simulator.username, password: simulator.password,
            transport: try AHCTransport(host: simulator.host, trust: .caFile(simulator.caFile)))
        try Fixtures.write("an installer", to: root + "/given.iso")
        let target = try #require(VSphereClient.DatastorePath("[LocalDS_0] isos/given.iso"))
        try await client.uploadToDatastore(root + "/given.iso", size: 12, as: target, datacenter: "DC0")
        await client.logout()
        _ = try await ProcessCapture.run(
            Fixtures.binary, ["clean", "node-ova-vsphere-ubuntu-2404"], environment: ["IB_ROOT": root, "PATH": "/usr/bin:/bin"])
        let run = try await StallWatchdogTests.build(
            root, ["node-ova-vsphere-ubuntu-2404", "--var-file", "ubuntu-2404=\(root)/given.json"], environment: [:])
        #expect(run.status == 0, "\(run.stdout.suffix(2000))\(run.stderr.suffix(2000))")
        let log = Fixtures.read(root + "/output/logs/node-ova-vsphere-ubuntu-2404.log") ?? ""
        #expect(log.contains("ISO: [LocalDS_0] isos/given.iso (iso_datastore_path), nothing downloaded or uploaded"), "\(log.suffix(2000))")
        #expect(log.split(separator: "\n").first?.contains("iso_datastore_path=[LocalDS_0] isos/given.iso") == true)
        #expect(!FileReader.exists(root + "/output/.cache/iso"), "nothing was fetched")
        #expect(Self.isoUploads(root).isEmpty)
    }
}
