import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import Testing
import VSphereKit

/// Issue 19, acceptance 2: OVAs with the manifest after the OVF (default) and at the end
/// (`--manifest end`, one pass over the disk) both verify, list with Python's tarfile, deploy into
/// the simulator through ImportVApp and through the content library, and are byte-reproducible.
@Suite(
    .enabled(
        if: (Fixtures.hasTool("qemu-img") && SimulatorFixture.available && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI,
        "needs qemu-img, go and govmomi's source"))
struct ManifestOrderTests {
    static let base = "ubuntu-2404-kube-v1.36.1"

    /// Packages one disk into `count` folders with the given order; returns the folders.
    static func package(disk: String, order: String?, count: Int) async throws -> [String] {
        var folders: [String] = []
        for _ in 0..<count {
            let out = try Fixtures.makeTemporaryDirectory("ib-order")
            try FileManager.default.copyItem(atPath: disk, toPath: out + "/disk.vmdk")
            try Fixtures.write(Fixtures.packerManifest([Fixtures.customData()]), to: out + "/packer-manifest.json")
            let run = try await OVAPackageTests.ib(
                ["ova", "package", ".", "--vmdk", "disk.vmdk"] + (order.map { ["--manifest", $0] } ?? []), cwd: out)
            #expect(run.status == 0, "\(run.stderr)")
            folders.append(out)
        }
        return folders
    }

    @Test(.timeLimit(.minutes(10)))
    func bothOrdersVerifyListDeployAndReproduce() async throws {
        let scratch = try Fixtures.makeTemporaryDirectory("ib-order-disk")
        let disk = try await Fixtures.makeRandomVMDK(in: scratch, name: "disk.vmdk", megabytes: 24)
        let end = try await Self.package(disk: disk, order: "end", count: 2)
        let after = try await Self.package(disk: disk, order: nil, count: 1)
        let endOVA = end[0] + "/\(Self.base).ova"
        let afterOVA = after[0] + "/\(Self.base).ova"

        #expect(try TarIndex(path: endOVA).members.map(\.name) == ["\(Self.base).ovf", "\(Self.base)-disk-0.vmdk", "\(Self.base).mf"])
        #expect(try TarIndex(path: afterOVA).members.map(\.name) == ["\(Self.base).ovf", "\(Self.base).mf", "\(Self.base)-disk-0.vmdk"])
        // Same OVF and manifest text, the same disk digest, whatever the order; each order reproducible.
        #expect(Fixtures.read(end[0] + "/\(Self.base).mf") == Fixtures.read(after[0] + "/\(Self.base).mf"))
        #expect(Fixtures.read(end[0] + "/\(Self.base).ovf") == Fixtures.read(after[0] + "/\(Self.base).ovf"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: endOVA)) == (try Data(contentsOf: URL(fileURLWithPath: end[1] + "/\(Self.base).ova"))))
        #expect(try await OVAPackageTests.sha256(endOVA) == Fixtures.read(endOVA + ".sha256"))

        let simulator = try await SimulatorFixture.start()
        defer { Task { await simulator.stop() } }
        for (label, ova) in [("end", endOVA), ("after", afterOVA)] {
            let verify = try await OVAPackageTests.ib(["ova", "verify", ova], cwd: scratch)
            #expect(verify.status == 0, "\(label): \(verify.stdout)\(verify.stderr)")
            let listing = try await ProcessCapture.run(
                "/usr/bin/python3", ["-c", "import sys,tarfile\nprint('\\n'.join(tarfile.open(sys.argv[1]).getnames()))", ova])
            #expect(listing.status == 0 && listing.stdout.split(separator: "\n").count == 3, "\(label): \(listing.stdout)\(listing.stderr)")
            let vsphere = VSphereCommandTests()
            let deploy = try await vsphere.ib(simulator, ["deploy", ova, "node-\(label)"])
            #expect(deploy.status == 0, "\(label): \(deploy.stderr)")
            let publish = try await vsphere.ib(simulator, ["publish", ova, "--library", "order", "--item", "item-\(label)"])
            #expect(publish.status == 0, "\(label): \(publish.stderr)")
            let fromLibrary = try await vsphere.ib(simulator, ["deploy", "item-\(label)", "library-\(label)", "--library", "order"])
            #expect(fromLibrary.status == 0, "\(label): \(fromLibrary.stderr)")
        }

        // A damaged end-order OVA is caught by the manifest at its end.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: end[1] + "/\(Self.base).ova"))
        let member = try #require(try TarIndex(path: endOVA).member("\(Self.base)-disk-0.vmdk"))
        bytes[Int(member.offset + member.size - 1)] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: end[1] + "/broken.ova"))
        let broken = try await OVAPackageTests.ib(["ova", "verify", end[1] + "/broken.ova"], cwd: scratch)
        #expect(broken.status != 0 && broken.stderr.contains("digest mismatch"), "\(broken.stdout)\(broken.stderr)")

        let bad = try await OVAPackageTests.ib(["ova", "package", ".", "--vmdk", "disk.vmdk"], env: ["IB_OVA_MANIFEST": "middle"], cwd: end[1])
        #expect(bad.status == 2 && bad.stderr.contains("IB_OVA_MANIFEST"), "\(bad.stderr)")
    }
}
