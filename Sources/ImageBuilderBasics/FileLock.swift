#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An flock(2) on a file, safe across processes: released when the value goes away. Used for
/// base builds (`output/.locks/base-<build_name>.lock`: a base holds it exclusively while it
/// runs; a build from that base takes it shared first, so it waits for a base being built by
/// another image-builder process or by the same run) and for the ISO cache.
package final class FileLock: Sendable {
    private let fd: Int32
    package let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// Takes the lock, waiting off the cooperative pool; `onWait` is called once if it must wait.
    package static func acquire(
        _ path: String, exclusive: Bool, onWait: @Sendable () -> Void = {}
    ) async throws -> FileLock {
        try FileWriter.makeDirectory(Paths.dirname(path))
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError.cannotPrepare(path: path, reason: String(cString: strerror(errno))) }
        let operation = exclusive ? LOCK_EX : LOCK_SH
        // Polled, not blocking, so a cancelled run stops waiting at once.
        var waited = false
        while flock(fd, operation | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                close(fd)
                throw FileError.cannotPrepare(path: path, reason: String(cString: strerror(errno)))
            }
            if !waited {
                waited = true
                onWait()
            }
            do { try await Task.sleep(for: .milliseconds(100)) } catch {
                close(fd)
                throw error
            }
        }
        return FileLock(fd: fd, path: path)
    }

    /// Takes the lock at once or returns nil (someone else holds it). An exclusive lock records
    /// `holder` in the file, for the message of whoever finds it taken.
    package static func tryAcquire(_ path: String, exclusive: Bool, holder: String? = nil) throws -> FileLock? {
        try FileWriter.makeDirectory(Paths.dirname(path))
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileError.cannotPrepare(path: path, reason: String(cString: strerror(errno))) }
        while flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            close(fd)
            guard errno == EWOULDBLOCK else { throw FileError.cannotPrepare(path: path, reason: reason) }
            return nil
        }
        if exclusive, let holder {
            let bytes = Array((holder + "\n").utf8)
            _ = ftruncate(fd, 0)
            _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        }
        return FileLock(fd: fd, path: path)
    }

    /// Whether someone holds the lock exclusively now (a shared look that is let go at once).
    package static func isHeldExclusively(_ path: String) -> Bool {
        guard FileReader.exists(path) else { return false }
        // A shared look that cannot be had means an exclusive holder (an error counts as held).
        guard let look = try? tryAcquire(path, exclusive: false) else { return true }
        withExtendedLifetime(look) {}
        return false
    }

    /// What the holder of an exclusive lock wrote (`pid …, run …`), if anything.
    package static func holder(_ path: String) -> String? {
        guard case .contents(let bytes, _) = FileReader.read(path, limit: 4096) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters()
        return text.isEmpty ? nil : text
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }

}
