import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small file-system writes with explicit modes (secrets: 0600 files in 0700 directories).
package enum FileWriter {
    package static func makeDirectory(_ path: String, mode: Int = 0o755) throws(FileError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true,
                attributes: [.posixPermissions: mode])
        } catch { throw FileError.cannotPrepare(path: path, reason: "cannot create directory (\(error))") }
    }

    /// Writes a whole file created with `mode` (never widened by an existing file).
    package static func write(_ text: String, to path: String, mode: UInt32 = 0o600) throws(FileError) {
        try write(Array(text.utf8), to: path, mode: mode)
    }

    /// Writes whole bytes into a file created with `mode` (never widened by an existing file).
    package static func write(_ bytes: [UInt8], to path: String, mode: UInt32 = 0o600) throws(FileError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else { throw FileError.cannotPrepare(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        fchmod(fd, mode_t(mode))
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw FileError.cannotPrepare(path: path, reason: String(cString: strerror(errno))) }
            offset += n
        }
    }

    /// Removes a file or a directory tree; true if something was there.
    @discardableResult
    package static func remove(_ path: String) throws(FileError) -> Bool {
        guard FileReader.exists(path) || (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil else { return false }
        do { try FileManager.default.removeItem(atPath: path) } catch {
            throw FileError.cannotPrepare(path: path, reason: "cannot remove (\(error))")
        }
        return true
    }

    /// Renames a file into place (atomic within a file system).
    package static func rename(_ source: String, to destination: String) throws(FileError) {
        guard Glibc.rename(source, destination) == 0 else {
            throw FileError.cannotPrepare(path: destination, reason: "cannot rename \(source) into place (errno \(errno))")
        }
    }
}

/// An append-only log file shared by the tasks of one build.
package final class LogFile: Sendable {
    private let fd: Mutex<Int32>
    package let path: String

    package init(path: String) throws(FileError) {
        try FileWriter.makeDirectory(Paths.dirname(path))
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileError.cannotPrepare(path: path, reason: String(cString: strerror(errno))) }
        self.fd = Mutex(fd)
        self.path = path
    }

    package func append(_ line: String) {
        let bytes = Array((line + "\n").utf8)
        fd.withLock { fd in _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) } }
    }

    deinit { fd.withLock { _ = close($0) } }

}
