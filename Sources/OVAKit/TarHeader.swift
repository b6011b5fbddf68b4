/// Deterministic tar headers for OVAs: ustar, owner root (uid/gid 0), fixed mode 0644, the
/// build's timestamp as mtime, and a PAX extended header (`size` record) before each disk, so a
/// disk over 8 GiB — beyond ustar's 11 octal digits — is described exactly.
public enum TarHeader {
    public static let block = 512
    /// Archives end with two zero blocks and are padded to 20-block records, as tar writes them.
    public static let record = 10240
    static let maxOctalSize: Int64 = 0o77777777777

    /// A ustar header for a regular file (or, with `type` `x`, a PAX extended header).
    public static func ustar(name: String, size: Int64, mtime: Int64, type: UInt8 = UInt8(ascii: "0")) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: block)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int64, width: Int) -> String {
            let digits = String(value, radix: 8)
            return String(repeating: "0", count: max(0, width - 1 - digits.count)) + digits
        }
        put(name, at: 0, width: 100)
        put(octal(0o644, width: 8), at: 100, width: 7)
        put(octal(0, width: 8), at: 108, width: 7)
        put(octal(0, width: 8), at: 116, width: 7)
        // Over 8 GiB the PAX `size` record carries the size; the field holds the largest value.
        put(octal(min(size, maxOctalSize), width: 12), at: 124, width: 11)
        put(octal(mtime, width: 12), at: 136, width: 11)
        header[156] = type
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        put("root", at: 265, width: 32)
        put("root", at: 297, width: 32)
        put(octal(0, width: 8), at: 329, width: 7)
        put(octal(0, width: 8), at: 337, width: 7)
        // The checksum is computed with its own field as spaces.
        for index in 148..<156 { header[index] = UInt8(ascii: " ") }
        let sum = header.reduce(0) { $0 + Int($1) }
        put(octal(Int64(sum), width: 7), at: 148, width: 6)
        header[154] = 0
        header[155] = UInt8(ascii: " ")
        return header
    }

    /// A PAX extended header (`././@PaxHeader`, as Python's tarfile names it) holding `size`,
    /// padded to whole blocks: always two blocks, so its place in an archive is fixed.
    public static func paxSize(_ size: Int64, mtime: Int64) -> [UInt8] {
        let body = Array(record("size", String(size)).utf8)
        var bytes = ustar(name: "././@PaxHeader", size: Int64(body.count), mtime: mtime, type: UInt8(ascii: "x"))
        bytes += body
        bytes += [UInt8](repeating: 0, count: block - body.count)
        return bytes
    }

    /// `"<length> key=value\n"`, the length counting itself.
    static func record(_ key: String, _ value: String) -> String {
        let rest = " \(key)=\(value)\n"
        var length = rest.utf8.count + 1
        while String(length).count + rest.utf8.count != length { length += 1 }
        return String(length) + rest
    }

    /// Zero bytes that pad `size` bytes of data to a whole block.
    public static func padding(_ size: Int64) -> Int { Int((Int64(block) - size % Int64(block)) % Int64(block)) }

    /// The end of an archive of `length` bytes so far: two zero blocks, then up to a whole record.
    public static func trailer(after length: Int64) -> Int {
        let end = length + Int64(2 * block)
        return Int(end + (Int64(record) - end % Int64(record)) % Int64(record) - length)
    }
}
