import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import Testing

/// The OVF describes the disk it carries: the capacity is read from the VMDK's sparse header and
/// written back exactly, in MiB when it is whole MiB, else in bytes.
@Suite(.enabled(if: Fixtures.hasTool("qemu-img") || Fixtures.isCI, "needs qemu-img"))
struct DiskCapacityTests {
    @Test func theHeadersCapacityIsWhatQemuImgSaysAndTheOVFRepeatsIt() async throws {
        let directory = try Fixtures.makeTemporaryDirectory("ib-capacity")
        // 3 MiB and one sector: not a whole number of MiB.
        let bytes = (3 << 20) + 512
        let made = try await ProcessCapture.run(
            "/bin/sh",
            ["-c", "cd \"$1\" && qemu-img create -q -f vmdk -o subformat=streamOptimized odd.vmdk \(bytes)", "sh", directory])
        #expect(made.status == 0, "\(made.stderr)")
        let head = [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/odd.vmdk")).prefix(512))
        let info = try await ProcessCapture.run("qemu-img", ["info", "--output=json", directory + "/odd.vmdk"])
        let virtualSize = try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any]
        #expect(VMDKHeader.capacityBytes(head) == Int64(bytes))
        #expect((virtualSize?["virtual-size"] as? Int) == bytes)
        #expect(VMDKHeader.capacityBytes(Array("# Disk DescriptorFile\n".utf8)) == nil)

        var descriptor = OVAWriterTests.layout(directory).descriptor
        descriptor.disks[0].capacityBytes = Int64(bytes)
        let odd = try OVFSummary.parse(Array(descriptor.xml().utf8))
        #expect(odd.disks.first?.capacityBytes == Int64(bytes))
        #expect(descriptor.xml().contains("ovf:capacity=\"\(bytes)\" ovf:capacityAllocationUnits=\"byte\""))
        descriptor.disks[0].capacityBytes = 20 << 30
        #expect(descriptor.xml().contains("ovf:capacity=\"20480\" ovf:capacityAllocationUnits=\"byte * 2^20\""))
        #expect(try OVFSummary.parse(Array(descriptor.xml().utf8)).disks.first?.capacityBytes == 20 << 30)
    }
}
