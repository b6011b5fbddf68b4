#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The first sector of a VMDK sparse extent: `KDMV`, flags, and the grain compression.
public enum VMDKHeader {
    /// Whether these bytes start a streamOptimized extent (compressed grains, deflate).
    public static func isStreamOptimized(_ header: [UInt8]) -> Bool {
        guard header.count >= 80, header.starts(with: Array("KDMV".utf8)) else { return false }
        let flags = UInt32(header[8]) | UInt32(header[9]) << 8 | UInt32(header[10]) << 16 | UInt32(header[11]) << 24
        let compression = UInt16(header[77]) | UInt16(header[78]) << 8
        return flags & 0x10000 != 0 && compression == 1
    }

    /// The virtual capacity in bytes a sparse extent's header declares (sectors × 512), or nil
    /// when the bytes are no sparse header.
    public static func capacityBytes(_ header: [UInt8]) -> Int64? {
        guard header.count >= 20, header.starts(with: Array("KDMV".utf8)) else { return nil }
        let sectors = (0..<8).reduce(UInt64(0)) { $0 | UInt64(header[12 + $1]) << (8 * UInt64($1)) }
        guard sectors > 0, sectors < 1 << 40 else { return nil }
        return Int64(sectors) * 512
    }

    /// The capacity the header at `offset` of an open file declares.
    public static func capacityBytes(descriptor: Int32, offset: Int64) -> Int64? {
        var header = [UInt8](repeating: 0, count: 512)
        let count = header.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 512, off_t(offset)) }
        return count == 512 ? capacityBytes(header) : nil
    }

    /// The capacity the header of the file at `path` declares.
    public static func capacityBytes(path: String) -> Int64? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        return capacityBytes(descriptor: descriptor, offset: 0)
    }

    /// Whether the file at `path` is a streamOptimized VMDK.
    public static func isStreamOptimized(path: String) -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var header = [UInt8](repeating: 0, count: 512)
        let count = header.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 512, 0) }
        return count >= 80 && isStreamOptimized(Array(header.prefix(count)))
    }
}
