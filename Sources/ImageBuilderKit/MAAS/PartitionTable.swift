public import ImageBuilderBasics

/// The partitions of a raw disk image, read from its MBR or, behind a protective MBR, its GPT
/// header and entries: enough to find partition N's byte offset and write into it rootless
/// (mtools' `-i disk@@offset`), with no loop or nbd device and nothing mounted.
package struct PartitionTable: Sendable, Equatable {
    package enum Scheme: String, Sendable { case mbr, gpt }

    package struct Partition: Sendable, Equatable {
        /// 1-based, as the kernel numbers it (`sda1`).
        package let number: Int
        package let firstSector: UInt64
        package let sectors: UInt64
        /// MBR: the type byte in hex (`ef`); GPT: the type GUID's bytes in hex.
        package let type: String

        package func offset(sectorSize: UInt64 = 512) -> UInt64 { firstSector * sectorSize }
    }

    package let scheme: Scheme
    package let partitions: [Partition]

    package func partition(_ number: Int) -> Partition? { partitions.first { $0.number == number } }

    /// Reads the table of the disk image at `path` (512-byte sectors).
    package static func read(_ path: String) throws(PartitionTableError) -> PartitionTable {
        guard case .contents(let head, _) = FileReader.read(path, offset: 0, count: 512 * 34) else {
            throw .unreadable(path: path)
        }
        return try parse(head, path: path) { offset, count in
            guard case .contents(let bytes, _) = FileReader.read(path, offset: Int64(offset), count: count) else { return [] }
            return bytes
        }
    }

    /// Parses a disk's first sectors; `more` reads GPT entries beyond them.
    package static func parse(
        _ head: [UInt8], path: String, more: (UInt64, Int) -> [UInt8]
    ) throws(PartitionTableError) -> PartitionTable {
        guard head.count >= 512, head[510] == 0x55, head[511] == 0xAA else { throw .noTable(path: path) }
        let entries = (0..<4).map { Array(head[(446 + 16 * $0)..<(462 + 16 * $0)]) }
        if entries.contains(where: { $0[4] == 0xEE }) { return try gpt(head, path: path, more: more) }
        var partitions: [Partition] = []
        for (index, entry) in entries.enumerated() where entry[4] != 0 {
            let first = UInt64(le32(entry, 8))
            let count = UInt64(le32(entry, 12))
            guard count > 0 else { continue }
            partitions.append(Partition(number: index + 1, firstSector: first, sectors: count, type: hex([entry[4]])))
        }
        return PartitionTable(scheme: .mbr, partitions: partitions)
    }

    private static func gpt(_ head: [UInt8], path: String, more: (UInt64, Int) -> [UInt8]) throws(PartitionTableError) -> PartitionTable {
        guard head.count >= 1024, Array(head[512..<520]) == Array("EFI PART".utf8) else { throw .noTable(path: path) }
        let header = Array(head[512..<1024])
        let entriesLBA = le64(header, 72)
        let count = Int(le32(header, 80))
        let size = Int(le32(header, 84))
        guard count > 0, count <= 1024, size >= 128, size <= 4096 else {
            throw .corrupt(path: path, reason: "GPT header entry count \(count), size \(size)")
        }
        let start = Int(entriesLBA) * 512
        let total = count * size
        let bytes: [UInt8] = start + total <= head.count ? Array(head[start..<(start + total)]) : more(UInt64(start), total)
        guard bytes.count == total else { throw .corrupt(path: path, reason: "GPT entries cut short") }
        var partitions: [Partition] = []
        for index in 0..<count {
            let entry = Array(bytes[(index * size)..<(index * size + size)])
            let type = Array(entry[0..<16])
            guard type.contains(where: { $0 != 0 }) else { continue }
            let first = le64(entry, 32)
            let last = le64(entry, 40)
            guard last >= first else { throw .corrupt(path: path, reason: "partition \(index + 1) ends before it starts") }
            partitions.append(Partition(number: index + 1, firstSector: first, sectors: last - first + 1, type: hex(type)))
        }
        return PartitionTable(scheme: .gpt, partitions: partitions)
    }

    private static func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
    }

    private static func le64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

/// A disk image whose partition table cannot be used.
package enum PartitionTableError: UserFacingError, Equatable {
    case unreadable(path: String)
    case noTable(path: String)
    case corrupt(path: String, reason: String)
    case noPartition(path: String, number: Int)

    package var exitStatus: ExitStatus { .failed }
    package var description: String {
        switch self {
        case .unreadable(let path): "\(path): cannot be read"
        case .noTable(let path): "\(path): no partition table (did the installer write the disk?)"
        case .corrupt(let path, let reason): "\(path): damaged partition table: \(reason)"
        case .noPartition(let path, let number): "\(path): no partition \(number)"
        }
    }
}
