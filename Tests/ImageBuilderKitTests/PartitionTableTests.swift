import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// Reading MBR and GPT tables from disk images sfdisk wrote (a file, no device), and refusing
/// what is not a table.
@Suite(.enabled(if: Fixtures.hasTool("sfdisk") || Fixtures.isCI, "needs sfdisk (make test-deps)"))
struct PartitionTableTests {
    static func disk(_ script: String, megabytes: Int = 16) async throws -> String {
        let path = try Fixtures.makeTemporaryDirectory("ib-ptable") + "/disk.raw"
        let made = try await ProcessCapture.run(
            "/bin/sh", ["-c", "truncate -s \(megabytes)M \"$1\" && printf '\(script)' | sfdisk --quiet \"$1\"", "sh", path],
            environment: ["PATH": "/usr/sbin:/sbin:/usr/bin:/bin"])
        #expect(made.status == 0, "\(made.stderr)")
        return path
    }

    @Test func gptPartitionsAndTheirOffsets() async throws {
        let path = try await Self.disk(
            "label: gpt\\nstart=2048, size=8192, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B\\nstart=16384, size=4096\\n")
        let table = try PartitionTable.read(path)
        #expect(table.scheme == .gpt && table.partitions.count == 2)
        #expect(table.partition(1)?.offset() == 1_048_576 && table.partition(1)?.sectors == 8192)
        #expect(table.partition(1)?.type == "28732ac11ff8d211ba4b00a0c93ec93b")
        #expect(table.partition(2)?.firstSector == 16384 && table.partition(3) == nil)
    }

    @Test func mbrPartitions() async throws {
        let path = try await Self.disk("label: dos\\nstart=4096, size=2048, type=e\\nstart=8192, type=83\\n")
        let table = try PartitionTable.read(path)
        #expect(table.scheme == .mbr)
        #expect(table.partition(1)?.firstSector == 4096 && table.partition(1)?.sectors == 2048 && table.partition(1)?.type == "0e")
        #expect(table.partition(2)?.type == "83")
    }

    @Test func aDiskWithoutATableIsRefused() throws {
        let path = try Fixtures.makeTemporaryDirectory("ib-ptable") + "/empty.raw"
        try Fixtures.write(String(repeating: "\0", count: 4096), to: path)
        #expect(throws: PartitionTableError.noTable(path: path)) { try PartitionTable.read(path) }
        var head = [UInt8](repeating: 0, count: 1024)
        (head[510], head[511], head[446 + 4]) = (0x55, 0xAA, 0xEE)
        head.replaceSubrange(512..<520, with: Array("EFI PART".utf8))
        head[512 + 80] = 0xFF
        head[512 + 81] = 0xFF
        #expect(throws: PartitionTableError.self) { try PartitionTable.parse(head, path: "crafted") { _, _ in [] } }
    }
}
