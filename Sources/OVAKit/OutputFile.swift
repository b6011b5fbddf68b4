#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file being written: appends, writes at an offset, and reports write failures (a full disk)
/// with the path and the system's reason.
final class OutputFile {
    let path: String
    private(set) var descriptor: Int32
    private(set) var length: Int64 = 0

    init(path: String) throws {
        self.path = path
        descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw OVAWriter.Failure(path: path, reason: OutputFile.reason("cannot be created")) }
    }

    deinit { close() }

    func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try append($0) }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        try write(bytes, at: length)
        length += Int64(bytes.count)
    }

    /// Counts bytes written past the end by someone else (the read-ahead thread's mirror).
    func advance(by count: Int64) { length += count }

    func write(_ bytes: [UInt8], at offset: Int64) throws {
        try bytes.withUnsafeBytes { try write($0, at: offset) }
    }

    private func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws {
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw OVAWriter.Failure(path: path, reason: OutputFile.reason("write failed")) }
            done += n
        }
    }

    func sync() throws {
        guard fsync(descriptor) == 0 else { throw OVAWriter.Failure(path: path, reason: OutputFile.reason("fsync failed")) }
    }

    func close() {
        if descriptor >= 0 { Glibc.close(descriptor) }
        descriptor = -1
    }

    /// Writes a small file whole.
    static func writeWhole(_ bytes: [UInt8], to path: String) throws {
        let file = try OutputFile(path: path)
        try file.append(bytes)
        file.close()
    }

    static func reason(_ what: String) -> String {
        let code = errno
        return "\(what): \(String(cString: strerror(code)))"
    }
}
