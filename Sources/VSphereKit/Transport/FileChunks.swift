import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `size` bytes of a file from `offset`, read as buffers of at most `chunkSize` bytes, for
/// streamed uploads. A file shorter than promised ends the body early (the server then sees a
/// short request and fails it).
struct FileChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let path: String
    let offset: Int64
    let size: Int64
    let chunkSize: Int

    init?(path: String, offset: Int64, size: Int64, chunkSize: Int) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return nil }
        close(descriptor)
        self.path = path
        self.offset = offset
        self.size = size
        self.chunkSize = chunkSize
    }

    func makeAsyncIterator() -> Iterator { Iterator(self) }

    struct Iterator: AsyncIteratorProtocol {
        let chunkSize: Int
        var descriptor: Int32
        var position: Int64
        var remaining: Int64

        init(_ chunks: FileChunks) {
            chunkSize = chunks.chunkSize
            descriptor = open(chunks.path, O_RDONLY)
            position = chunks.offset
            remaining = chunks.size
        }

        mutating func next() async throws -> ByteBuffer? {
            guard descriptor >= 0 else { return nil }
            let wanted = Int(Swift.min(Int64(chunkSize), remaining))
            var buffer = ByteBuffer()
            var count = 0
            if wanted > 0 {
                let (fd, at) = (descriptor, position)
                count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: wanted) { raw in
                    Swift.max(0, pread(fd, raw.baseAddress, wanted, off_t(at)))
                }
            }
            if count == 0 {
                close(descriptor)
                descriptor = -1
                return nil
            }
            position += Int64(count)
            remaining -= Int64(count)
            return buffer
        }
    }
}
