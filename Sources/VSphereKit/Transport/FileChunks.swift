import NIOCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read as a sequence of buffers of at most `chunkSize` bytes, for streamed uploads.
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let path: String
    let chunkSize: Int

    init?(path: String, chunkSize: Int) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        close(descriptor)
        self.path = path
        self.chunkSize = chunkSize
    }

    func makeAsyncIterator() -> Iterator { Iterator(path: path, chunkSize: chunkSize) }

    struct Iterator: AsyncIteratorProtocol {
        let chunkSize: Int
        var descriptor: Int32

        init(path: String, chunkSize: Int) {
            self.chunkSize = chunkSize
            self.descriptor = open(path, O_RDONLY)
        }

        mutating func next() async throws -> ByteBuffer? {
            guard descriptor >= 0 else { return nil }
            var buffer = ByteBuffer()
            buffer.reserveCapacity(chunkSize)
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: chunkSize) { raw in
                Swift.max(0, read(descriptor, raw.baseAddress, chunkSize))
            }
            if count == 0 {
                close(descriptor)
                descriptor = -1
                return nil
            }
            return buffer
        }
    }
}
