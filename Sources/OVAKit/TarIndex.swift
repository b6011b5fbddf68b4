#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The members of a tar archive (an OVA) with where their bytes are, read from the 512-byte
/// headers only: a multi-gigabyte disk is never read to find it, and uploads stream it in place.
public struct TarIndex: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public let name: String
        /// Offset of the member's data in the archive.
        public let offset: Int64
        public let size: Int64
    }

    public enum ReadError: Error, Equatable, CustomStringConvertible {
        case cannotOpen(path: String)
        case truncated(path: String, member: String)
        case badHeader(path: String, offset: Int64)
        /// The first block is not a tar header at all.
        case notATar(path: String)
        /// A header's size field is negative, overflows, or a name record is implausibly large.
        case badSize(path: String, member: String)

        public var description: String {
            switch self {
            case .cannotOpen(let path): "\(path): cannot be opened"
            case .truncated(let path, let member): "\(path): archive ends inside \(member)"
            case .badHeader(let path, let offset): "\(path): not a tar header at byte \(offset)"
            case .notATar(let path): "\(path): not a tar archive (an OVA is one)"
            case .badSize(let path, let member): "\(path): the header of \(member) has an impossible size"
            }
        }
    }

    public let path: String
    public let members: [Member]

    public func member(_ name: String) -> Member? { members.first { $0.name == name } }

    /// Reads the headers of the archive at `path` (ustar and GNU long names).
    public init(path: String) throws(ReadError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw .cannotOpen(path: path) }
        defer { close(descriptor) }
        var info = stat()
        fstat(descriptor, &info)
        let length = Int64(info.st_size)
        var members: [Member] = []
        var offset: Int64 = 0
        var longName: String?
        var header = [UInt8](repeating: 0, count: 512)
        while offset + 512 <= length {
            let count = header.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 512, off_t(offset)) }
            guard count == 512 else { throw offset == 0 ? .notATar(path: path) : .badHeader(path: path, offset: offset) }
            if header.allSatisfy({ $0 == 0 }) { break }
            guard Self.checksumMatches(header) else { throw offset == 0 ? .notATar(path: path) : .badHeader(path: path, offset: offset) }
            guard let size = Self.octal(header[124..<136]) else {
                // A base-256 field that is negative or beyond Int64: a crafted size.
                if header[124] & 0x80 != 0 { throw .badSize(path: path, member: Self.text(header[0..<100])) }
                throw .badHeader(path: path, offset: offset)
            }
            let type = header[156]
            var name = Self.text(header[0..<100])
            if header[257..<262].elementsEqual(Array("ustar".utf8)) {
                let prefix = Self.text(header[345..<500])
                if !prefix.isEmpty { name = prefix + "/" + name }
            }
            let data = offset + 512
            // Negative and overflowing sizes are refused: the next header must lie after this one.
            guard size >= 0 else { throw .badSize(path: path, member: longName ?? name) }
            guard size <= length - data else { throw .truncated(path: path, member: longName ?? name) }
            if type == UInt8(ascii: "L") || type == UInt8(ascii: "x") {
                guard size <= Self.maxRecordSize else { throw .badSize(path: path, member: longName ?? name) }
                var bytes = [UInt8](repeating: 0, count: Int(size))
                _ = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, Int(size), off_t(data)) }
                longName = type == UInt8(ascii: "L") ? Self.text(bytes[...]) : Self.paxPath(bytes) ?? longName
            } else if type == UInt8(ascii: "g") {
                // A pax global header: nothing this index needs.
            } else {
                if type == 0 || type == UInt8(ascii: "0") { members.append(Member(name: longName ?? name, offset: data, size: size)) }
                longName = nil
            }
            offset = data + (size + 511) / 512 * 512
        }
        self.path = path
        self.members = members
    }

    /// The `path` record of a pax extended header (`<length> path=<name>\n` records).
    static func paxPath(_ bytes: [UInt8]) -> String? {
        var index = 0
        while index < bytes.count {
            guard let space = bytes[index...].firstIndex(of: UInt8(ascii: " ")),
                let length = Int(String(decoding: bytes[index..<space], as: UTF8.self)), length > 0, index + length <= bytes.count
            else { return nil }
            let record = bytes[(space + 1)..<(index + length - 1)]
            if record.starts(with: Array("path=".utf8)) { return String(decoding: record.dropFirst(5), as: UTF8.self) }
            index += length
        }
        return nil
    }

    static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The largest long-name or pax record this index reads (a name, a path: never megabytes).
    static let maxRecordSize: Int64 = 1 << 20

    /// Whether the header's checksum field matches its bytes (the field counted as spaces).
    static func checksumMatches(_ header: [UInt8]) -> Bool {
        guard let stored = octal(header[148..<156]) else { return false }
        var sum: Int64 = 0
        for (index, byte) in header.enumerated() { sum += (148..<156).contains(index) ? 32 : Int64(byte) }
        return stored == sum
    }

    /// An octal field (NUL- or space-terminated); base-256 for sizes of 8 GiB and more. A
    /// negative base-256 value (first byte 0xFF) or one beyond Int64 is nil.
    static func octal(_ bytes: ArraySlice<UInt8>) -> Int64? {
        if let first = bytes.first, first & 0x80 != 0 {
            guard first == 0x80 else { return nil }
            var value: Int64 = 0
            for byte in bytes.dropFirst() {
                guard value <= (Int64.max - Int64(byte)) >> 8 else { return nil }
                value = value << 8 | Int64(byte)
            }
            return value
        }
        var value: Int64 = 0
        var digits = 0
        for byte in bytes {
            if byte == 0 || byte == UInt8(ascii: " ") { if digits > 0 { break } else { continue } }
            guard (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(byte) else { return nil }
            value = value * 8 + Int64(byte - UInt8(ascii: "0"))
            digits += 1
        }
        return value
    }
}
