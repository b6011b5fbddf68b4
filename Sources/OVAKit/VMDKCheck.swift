#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The structure of a streamOptimized VMDK, checked before it is packaged and when an OVA is
/// verified: the header (magic, version, capacity, grain size, compressed grains with
/// markers), then either layout: the grain directory at the end (VMware's exports: footer
/// marker, footer, end-of-stream marker) or near the start (qemu-img's: the last grain its
/// tables point to must lie whole inside the file). A truncated export, a text file named
/// `.vmdk` or garbage on standard input fail here, before an OVA is written.
public enum VMDKCheck {
    /// A header and room for its metadata.
    public static let minimumSize: Int64 = 4 * 512
    static let directoryAtEnd = UInt64.max

    /// Checks `size` bytes at `offset` of an open file (a disk, an OVA member, a stream being
    /// written); nil when it is a whole streamOptimized VMDK.
    public static func problem(descriptor: Int32, offset: Int64, size: Int64) -> String? {
        guard size >= minimumSize else {
            return "is \(size) bytes: too short for a streamOptimized VMDK (header, grain directory, grains)"
        }
        guard size % 512 == 0 else { return "is \(size) bytes, not a whole number of 512-byte sectors" }
        func read(_ at: Int64, _ count: Int) -> [UInt8]? {
            var bytes = [UInt8](repeating: 0, count: count)
            let n = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset + at)) }
            return n == count ? bytes : nil
        }
        guard let head = read(0, 512) else { return "cannot be read" }
        if let problem = headerProblem(head) { return problem }
        if u64(head, 56) == directoryAtEnd {
            guard let tail = read(size - 1536, 1536) else { return "cannot be read" }
            return footerProblem(head: head, tail: tail, size: size)
        }
        return tablesProblem(head: head, size: size, read: read)
    }

    /// VMware's layout: footer marker, footer (with the real grain directory), end-of-stream.
    static func footerProblem(head: [UInt8], tail: [UInt8], size: Int64) -> String? {
        let marker = Array(tail[0..<512])
        let footer = Array(tail[512..<1024])
        guard u64(marker, 0) == 1, u32(marker, 8) == 0, u32(marker, 12) == 3 else {
            return "has no footer marker before its end: the export was cut short"
        }
        if let problem = headerProblem(footer) { return "has a bad footer: " + problem }
        let directory = u64(footer, 56)
        guard directory != directoryAtEnd, directory > 0, directory * 512 < UInt64(size) else {
            return "has a footer whose grain directory (sector \(directory)) is not inside the file"
        }
        guard u64(footer, 12) == u64(head, 12) else { return "has a footer whose capacity differs from its header's" }
        guard tail[1024..<1536].allSatisfy({ $0 == 0 }) else { return "does not end with the end-of-stream marker: the export was cut short" }
        return nil
    }

    /// qemu-img's layout: the grain directory and tables inside the file, and the last grain
    /// they point to whole (its marker's length ends inside the file).
    static func tablesProblem(head: [UInt8], size: Int64, read: (Int64, Int) -> [UInt8]?) -> String? {
        let capacity = u64(head, 12)
        let grain = u64(head, 20)
        let perTable = UInt64(u32(head, 44))
        let directory = u64(head, 56)
        guard perTable == 512 else { return "has \(perTable) entries per grain table (512 expected)" }
        let tables = (capacity / grain + perTable - 1) / perTable
        guard directory > 0, Int64(directory) * 512 + Int64(tables) * 4 <= size else {
            return "has a grain directory (sector \(directory)) that is not inside the file: it was cut short"
        }
        guard tables <= 1 << 22, let entries = read(Int64(directory) * 512, Int(tables) * 4) else { return "cannot be read" }
        var last: UInt64 = 0
        for index in 0..<Int(tables) {
            let table = UInt64(u32(entries, index * 4))
            guard table != 0 else { continue }
            guard Int64(table) * 512 + 2048 <= size, let grains = read(Int64(table) * 512, 2048) else {
                return "has a grain table (sector \(table)) that is not inside the file: it was cut short"
            }
            for slot in 0..<512 { last = max(last, UInt64(u32(grains, slot * 4))) }
        }
        guard last > 1 else { return nil }
        guard Int64(last) * 512 + 12 <= size, let marker = read(Int64(last) * 512, 12) else {
            return "has a grain (sector \(last)) beyond its end: it was cut short"
        }
        guard Int64(last) * 512 + 12 + Int64(u32(marker, 8)) <= size else { return "ends inside its last grain: it was cut short" }
        return nil
    }

    /// What is wrong with a sparse-extent header of a streamOptimized VMDK; nil when nothing is.
    public static func headerProblem(_ header: [UInt8]) -> String? {
        guard header.count >= 80, header.starts(with: Array("KDMV".utf8)) else { return "is not a VMDK sparse extent (no KDMV header)" }
        let version = u32(header, 4)
        guard (1...3).contains(version) else { return "has an unknown VMDK version \(version)" }
        let flags = u32(header, 8)
        guard flags & 0x10000 != 0, flags & 0x20000 != 0, u16(header, 77) == 1 else {
            return "is not streamOptimized (no deflate-compressed grains with markers)"
        }
        let capacity = u64(header, 12)
        guard capacity > 0, capacity < 1 << 40 else { return "has an impossible capacity of \(capacity) sectors" }
        let grain = u64(header, 20)
        guard grain >= 8, grain <= 1 << 16, grain & (grain - 1) == 0 else { return "has an impossible grain size of \(grain) sectors" }
        return nil
    }

    /// Checks the file at `path`; nil when it is a whole streamOptimized VMDK.
    public static func problem(path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard descriptor >= 0 else { return "cannot be opened" }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return "is not a regular file" }
        return problem(descriptor: descriptor, offset: 0, size: Int64(info.st_size))
    }

    static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
    static func u64(_ bytes: [UInt8], _ at: Int) -> UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * $1) } }
}
