import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import Testing

/// The two ways of writing an OVA give the same bytes; an OVA is never left half-written.
@Suite(.enabled(if: Fixtures.hasTool("qemu-img") || Fixtures.isCI, "needs qemu-img"))
struct OVAWriterTests {
    static func layout(_ directory: String, disks: Int = 1) -> OVALayout {
        let descriptor = OVFDescriptor(
            name: "node", annotation: "test & <annotation>", guestOSType: "ubuntu64Guest", hardwareVersion: "vmx-15", cpus: 2,
            coresPerSocket: 1, memoryMiB: 4096, firmware: "bios", diskController: "pvscsi", networkCard: "vmxnet3",
            disks: (0..<disks).map { .init(fileName: "node-disk-\($0).vmdk", capacityMiB: 20480, size: 0, populatedSize: 0) },
            product: .init(product: "p", vendor: "v", version: "1", fullVersion: "1", vendorURL: "u", category: "c"),
            properties: [.init(key: "K", value: "v")])
        return OVALayout(baseName: "node", directory: directory, mtime: 1_795_252_888, descriptor: descriptor)
    }

    @Test func streamingGivesTheSameBytesAsFiles() async throws {
        let source = try Fixtures.makeTemporaryDirectory("ib-stream-src")
        let disks = [
            try await Fixtures.makeRandomVMDK(in: source, name: "a.vmdk", megabytes: 6),
            try await Fixtures.makeRandomVMDK(in: source, name: "b.vmdk", megabytes: 3),
        ]
        let fromFiles = try Fixtures.makeTemporaryDirectory("ib-files")
        let filed = try OVAWriter(layout: Self.layout(fromFiles, disks: 2)).package(diskFiles: disks)

        // The same disks as a stream of uneven chunks, as an export delivers them.
        let fromStream = try Fixtures.makeTemporaryDirectory("ib-stream")
        let writer = OVAWriter(layout: Self.layout(fromStream, disks: 2))
        try writer.beginStream()
        var generator = SystemRandomNumberGenerator()
        for disk in disks {
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: disk)))
            var offset = 0
            while offset < bytes.count {
                let count = min(bytes.count - offset, Int.random(in: 1...300_000, using: &generator))
                try writer.append(Array(bytes[offset..<(offset + count)]))
                offset += count
            }
            try writer.nextDisk()
        }
        let streamed = try writer.finishStream()
        #expect(streamed.sha256 == filed.sha256 && streamed.diskDigests == filed.diskDigests)
        for name in ["node.ova", "node.ovf", "node.mf", "node.ova.sha256"] {
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: fromStream + "/" + name)) == Data(contentsOf: URL(fileURLWithPath: fromFiles + "/" + name)),
                "\(name)")
        }
        #expect(try OVAVerifier.verify(fromStream + "/node.ova").checksumFile)
        #expect(FileReader.list(fromStream)?.sorted() == ["node.mf", "node.ova", "node.ova.sha256", "node.ovf"])
    }

    @Test func aDiskOver8GiBGetsItsSizeFromThePAXRecord() throws {
        let header = TarHeader.paxSize(9 << 30, mtime: 0)
        #expect(header.count == 1024 && header[156] == UInt8(ascii: "x"))
        #expect(String(decoding: header[512..<1024].prefix { $0 != 0 }, as: UTF8.self) == "19 size=9663676416\n")
        let ustar = TarHeader.ustar(name: "d.vmdk", size: 9 << 30, mtime: 0)
        #expect(String(decoding: ustar[124..<135], as: UTF8.self) == "77777777777")
    }

    @Test func aFailedOrCancelledWriteLeavesNothing() async throws {
        let source = try Fixtures.makeTemporaryDirectory("ib-cancel-src")
        let disk = try await Fixtures.makeRandomVMDK(in: source, name: "a.vmdk", megabytes: 12)
        let target = try Fixtures.makeTemporaryDirectory("ib-cancel")
        var polls = 0
        let writer = OVAWriter(layout: Self.layout(target)) {
            polls += 1
            return polls > 2
        }
        #expect(throws: OVAWriter.Failure.self) { try writer.package(diskFiles: [disk]) }
        #expect(FileReader.list(target) == [])
        // A disk that vanished: nothing either.
        #expect(throws: (any Error).self) { try OVAWriter(layout: Self.layout(target)).package(diskFiles: [source + "/missing.vmdk"]) }
        #expect(FileReader.list(target) == [])
    }
}
