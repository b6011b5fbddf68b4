import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes streamed files (exported disks) into a folder, chunk by chunk: one file open at a time,
/// names kept inside the folder.
package final class DiskWriter: Sendable {
    private let folder: String
    private let state = Mutex<(name: String, fd: Int32)?>(nil)

    package init(folder: String) { self.folder = folder }

    package func write(_ name: String, _ chunk: [UInt8]) throws {
        let safe = Paths.basename(name)
        guard !safe.isEmpty, safe != ".", safe != ".." else { throw FileError.cannotWrite(path: folder, reason: "refusing the file name '\(name)'") }
        let path = folder + "/" + safe
        try state.withLock { current throws(FileError) in
            if current?.name != safe {
                if let open = current { Glibc.close(open.fd) }
                let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                guard fd >= 0 else { throw FileError.cannotWrite(path: path, reason: "cannot be written") }
                current = (safe, fd)
            }
            guard let fd = current?.fd else { return }
            var offset = 0
            while offset < chunk.count {
                let n = chunk[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileError.cannotWrite(path: path, reason: "write failed (errno \(errno))")
                }
                offset += n
            }
        }
    }

    package func close() throws {
        state.withLock { current in
            if let open = current { Glibc.close(open.fd) }
            current = nil
        }
    }
}
