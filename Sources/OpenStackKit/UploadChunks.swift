import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `size` bytes of a file from `offset`, read 1 MiB at a time as the upload asks for them (so
/// memory stays bounded whatever the file's size), each shown to `observe` first. A file
/// shorter than promised ends the body early; the server then sees a short request.
struct UploadChunks: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    static let chunkSize = 1 << 20
    let path: String
    let offset: Int64
    let size: Int64
    let observe: @Sendable (UnsafeRawBufferPointer) -> Void

    init?(path: String, offset: Int64, size: Int64, observe: @escaping @Sendable (UnsafeRawBufferPointer) -> Void) {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK)
        guard descriptor >= 0 else { return nil }
        var info = stat()
        let regular = fstat(descriptor, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        close(descriptor)
        guard regular else { return nil }
        (self.path, self.offset, self.size, self.observe) = (path, offset, size, observe)
    }

    func makeAsyncIterator() -> Iterator { Iterator(self) }

    struct Iterator: AsyncIteratorProtocol {
        let observe: @Sendable (UnsafeRawBufferPointer) -> Void
        var descriptor: Int32
        var position: Int64
        var remaining: Int64

        init(_ chunks: UploadChunks) {
            observe = chunks.observe
            descriptor = open(chunks.path, O_RDONLY)
            position = chunks.offset
            remaining = chunks.size
        }

        mutating func next() async throws -> ByteBuffer? {
            guard descriptor >= 0 else { return nil }
            try Task.checkCancellation()
            let wanted = Int(Swift.min(Int64(UploadChunks.chunkSize), remaining))
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
            buffer.withUnsafeReadableBytes { observe($0) }
            return buffer
        }
    }
}
