import CompressNIO
public import ImageBuilderBasics
import NIOCore
import OVAKit

#if canImport(Glibc)
    import Glibc
#endif

/// Compresses a raw disk into `.dd.gz` and hashes what it writes, in one streaming pass: each
/// 4 MiB read is deflated, and the compressed bytes go to the hash and the file together (no
/// second read of a multi-GiB file). Constant memory; stops between chunks when cancelled.
package enum DiskCompressor {
    package struct Result: Sendable, Equatable {
        /// Of the compressed file, lower-case hex.
        package let sha256: String
        package let compressedBytes: Int64
        package let rawBytes: Int64
    }

    /// Writes `destination` (0644) from `source`; a partial file is removed when it fails.
    package static func compress(
        _ source: String, to destination: String, level: Int32 = 6, cancelled: @Sendable () -> Bool = { false }
    ) throws -> Result {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw FileError.cannotPrepare(path: source, reason: String(cString: strerror(errno))) }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw FileError.cannotPrepare(path: source, reason: "not a regular file")
        }
        let output = open(destination, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw FileError.cannotPrepare(path: destination, reason: String(cString: strerror(errno))) }
        var finished = false
        defer {
            close(output)
            if !finished { unlink(destination) }
        }
        let compressor = try ZlibCompressor(algorithm: .gzip, configuration: ZlibConfiguration(compressionLevel: level))
        var hasher = SHA256()
        var written: Int64 = 0
        var window = ByteBufferAllocator().buffer(capacity: 1 << 20)
        func emit() throws {
            guard window.readableBytes > 0 else { return }
            try window.withUnsafeReadableBytes { bytes in
                hasher.update(bufferPointer: bytes)
                var done = 0
                while done < bytes.count {
                    let n = write(output, bytes.baseAddress! + done, bytes.count - done)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw FileError.cannotPrepare(path: destination, reason: String(cString: strerror(errno)))
                    }
                    done += n
                }
            }
            written += Int64(window.readableBytes)
            window.clear()
        }
        var chunk = [UInt8](repeating: 0, count: 4 << 20)
        var rawBytes: Int64 = 0
        while true {
            if cancelled() { throw CancellationError() }
            let n = chunk.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError.cannotPrepare(path: source, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            rawBytes += Int64(n)
            var buffer = ByteBuffer(bytes: chunk[..<n])
            while buffer.readableBytes > 0 {
                do { try compressor.deflate(from: &buffer, to: &window, flush: .no) } catch let error as CompressNIOError
                    where error == .bufferOverflow
                {}
                try emit()
            }
        }
        var empty = ByteBuffer()
        while true {
            do {
                try compressor.deflate(from: &empty, to: &window, flush: .finish)
                try emit()
                break
            } catch let error as CompressNIOError where error == .bufferOverflow {
                try emit()
            }
        }
        guard fsync(output) == 0 else { throw FileError.cannotPrepare(path: destination, reason: String(cString: strerror(errno))) }
        finished = true
        return Result(sha256: OVAWriter.hex(hasher.finalize()), compressedBytes: written, rawBytes: rawBytes)
    }
}
