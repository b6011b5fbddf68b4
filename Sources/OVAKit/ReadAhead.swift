import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a file range in fixed chunks on a thread of its own, one or two chunks ahead of the
/// caller, so reading and the caller's hashing or writing overlap on two cores. Memory is the
/// chunks in flight (3 × 4 MiB), whatever the file's size.
enum ReadAhead {
    static let chunk = 4 << 20
    static let slots = 3

    typealias Failure = OVAWriter.Failure

    /// Where the reader thread also writes each chunk it read (while the caller hashes it), and
    /// optionally a hasher the reader thread feeds too, so two digests of the same bytes are
    /// computed on two threads.
    struct Mirror {
        let descriptor: Int32
        let offset: Int64
        let path: String
        var hasher: ThreadHasher? = nil
    }

    /// A SHA-256 owned by the reader thread until `forEach` returns.
    final class ThreadHasher: @unchecked Sendable {
        var sha = SHA256()
    }

    /// Calls `body` with each chunk of `size` bytes of `path` from `offset`, in order. With a
    /// mirror, the reading thread also writes each chunk there, overlapping the caller's work.
    static func forEach(
        path: String, offset: Int64 = 0, size: Int64, mirror: Mirror? = nil,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw Failure(path: path, reason: "cannot be opened (errno \(errno))") }
        defer { close(descriptor) }
        let state = State(descriptor: descriptor, offset: offset, size: size, mirror: mirror)
        let reader = Thread { state.readAll() }
        reader.start()
        defer { state.stopAndWait() }
        var index = 0
        while true {
            state.filled.wait()
            let count = state.counts[index % slots]
            if count < 0 { throw Failure(path: path, reason: "read failed (errno \(-count))") }
            if count == 0 {
                if let failure = state.mirrorFailure { throw failure }
                return
            }
            if let failure = state.mirrorFailure { throw failure }
            try body(UnsafeRawBufferPointer(rebasing: state.buffers[index % slots][0..<count]))
            state.free.signal()
            index += 1
        }
    }

    /// The ring shared by the reader thread and the caller (handed over through semaphores).
    private final class State: @unchecked Sendable {
        let descriptor: Int32
        let offset: Int64
        let size: Int64
        let buffers: [UnsafeMutableRawBufferPointer]
        var counts = [Int](repeating: 0, count: slots)
        /// Created at 0 and signalled: libdispatch traps when a semaphore is freed below its
        /// initial value, which an early stop leaves it at.
        let free = DispatchSemaphore(value: 0)
        let filled = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        private let stopFlag = NSLock()
        private var stopped = false

        let mirror: Mirror?
        private var mirrorError: Failure?
        var mirrorFailure: Failure? { stopFlag.withLock { mirrorError } }

        init(descriptor: Int32, offset: Int64, size: Int64, mirror: Mirror?) {
            self.mirror = mirror
            self.descriptor = descriptor
            self.offset = offset
            self.size = size
            buffers = (0..<slots).map { _ in UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 4096) }
            for _ in 0..<slots { free.signal() }
        }

        deinit { buffers.forEach { $0.deallocate() } }

        var isStopped: Bool { stopFlag.withLock { stopped } }

        func readAll() {
            var position = offset
            var remaining = size
            var index = 0
            while !isStopped {
                free.wait()
                if isStopped { break }
                let wanted = Int(min(Int64(chunk), remaining))
                var count = 0
                while count < wanted {
                    let n = pread(descriptor, buffers[index % slots].baseAddress! + count, wanted - count, off_t(position) + off_t(count))
                    if n < 0, errno == EINTR { continue }
                    if n < 0 {
                        count = -Int(errno)
                        break
                    }
                    if n == 0 { break }
                    count += n
                }
                counts[index % slots] = count
                filled.signal()
                if count <= 0 { break }
                // The caller hashes this slot while it is written; the slot is reused only after
                // the caller frees it and this write is done.
                if let mirror, !write(mirror, slot: index % slots, count: count, at: mirror.offset + (position - offset)) { break }
                mirror?.hasher?.sha.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffers[index % slots][0..<count]))
                position += Int64(count)
                remaining -= Int64(count)
                index += 1
            }
            done.signal()
        }

        private func write(_ mirror: Mirror, slot: Int, count: Int, at target: Int64) -> Bool {
            var done = 0
            while done < count {
                let n = pwrite(mirror.descriptor, buffers[slot].baseAddress! + done, count - done, off_t(target) + off_t(done))
                if n < 0, errno == EINTR { continue }
                if n <= 0 {
                    let reason = String(cString: strerror(errno))
                    stopFlag.withLock { mirrorError = Failure(path: mirror.path, reason: "write failed: \(reason)") }
                    // Wakes the caller, which then reports the failure.
                    counts[(slot + 1) % slots] = 0
                    filled.signal()
                    return false
                }
                done += n
            }
            return true
        }

        /// Stops the reader (also when the caller gave up early) and waits for it.
        func stopAndWait() {
            stopFlag.withLock { stopped = true }
            free.signal()
            done.wait()
        }
    }
}
