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

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }

}
