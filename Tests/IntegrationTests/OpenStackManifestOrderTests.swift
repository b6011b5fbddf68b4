import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// Issue 19, acceptance 2: Glance takes an OVA whose manifest ends the archive (`--manifest end`),
/// bare and as an `ova` container, and the publish's checks (active, sha512, size, virtual
/// size, the manifest's digest of the disk) hold as for the default order.
@Suite(
    .enabled(
        if: (OpenStackCloud.available && Fixtures.hasTool("qemu-img") && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI,
        "needs make test-deps (Keystone, Glance) and qemu-img"))
struct OpenStackManifestOrderTests {
    @Test(.timeLimit(.minutes(10)))
    func anOVAWithItsManifestAtTheEndIsPublishedBareAndAsAnOVA() async throws {
        let out = try Fixtures.makeTemporaryDirectory("ib-end-ova")
        _ = try await Fixtures.makeRandomVMDK(in: out, name: "disk.vmdk", megabytes: 8)
        // The disk's capacity is 8 MiB: the OVF says so, as Glance's virtual_size will.
        try Fixtures.write(Fixtures.packerManifest([Fixtures.customData(["disk_size": "8"])]), to: out + "/packer-manifest.json")
        let pack = try await OVAPackageTests.ib(["ova", "package", ".", "--vmdk", "disk.vmdk", "--manifest", "end"], cwd: out)
        try #require(pack.status == 0, "\(pack.stderr)")
        let ova = out + "/ubuntu-2404-kube-v1.36.1.ova"

        let (cloud, project) = try await OpenStackCloud.project()
        let environment = cloud.passwordEnvironment(project)
        let bare = try await OpenStackPublishTests.publish(out, [ova], environment: environment)
        #expect(bare.status == 0, "\(bare.stderr)")
        let asOVA = try await OpenStackPublishTests.publish(out, [ova, "--container", "ova", "--name", "node-end-ova"], environment: environment)
        #expect(asOVA.status == 0, "\(asOVA.stderr)")
        let images = try await cloud.images(project)
        #expect(images.count == 2, "\(images)")
        #expect(images.allSatisfy { $0["status"] as? String == "active" }, "\(images)")
        // Glance reads the capacity from the VMDK of a bare image (an OVA container it does not open).
        #expect(images.contains { $0["container_format"] as? String == "bare" && $0["virtual_size"] as? Int == 8 << 20 }, "\(images)")
        let sha512 = try await OpenStackPublishTests.sha512(ova)
        #expect(images.contains { $0["container_format"] as? String == "ova" && $0["os_hash_value"] as? String == sha512 }, "\(images)")
    }
}
