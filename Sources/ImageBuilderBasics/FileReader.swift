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

/// Reads whole small files (configs) and tells apart the ways that can fail. Only regular
/// files are read, and never more than a limit: a FIFO, a device or a symlink loop is named,
/// not read (nothing blocks or grows without bound).
package enum FileReader {
    package enum Outcome: Sendable {
        case missing
        case directory
        case unreadable
        /// Not a regular file: a FIFO, a device, a socket, a symlink loop.
        case notRegular(kind: String)
        /// Larger than the limit the caller gave.
        case tooLarge(limit: Int)
        case contents([UInt8], othersCanRead: Bool)
    }

    /// The most `read` takes by default: 32 MiB (var files, templates, manifests, properties).
    package static let defaultLimit = 32 << 20

    /// What kind of file a `stat` mode is, in words.
    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: "a FIFO"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFDIR: "a directory"
        default: "not a regular file"
        }
    }

    /// Opens a regular file for reading without blocking on a FIFO; the outcome when it cannot.
    private static func openRegular(_ path: String) -> (fd: Int32, info: stat)? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            return nil
        }
        return (fd, info)
    }

    /// Why `path` cannot be opened as a regular file.
    private static func failure(_ path: String) -> Outcome {
        var link = stat()
        if lstat(path, &link) != 0 { return .missing }
        var info = stat()
        if stat(path, &info) != 0 {
            return errno == ELOOP ? .notRegular(kind: "a symlink loop") : link.st_mode & S_IFMT == S_IFLNK ? .missing : .unreadable
        }
        if info.st_mode & S_IFMT == S_IFDIR { return .directory }
        if info.st_mode & S_IFMT != S_IFREG { return .notRegular(kind: kind(info.st_mode)) }
        return .unreadable
    }

    private static func status(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    /// The whole file, if it is a regular file of at most `limit` bytes.
    package static func read(_ path: String, limit: Int = defaultLimit) -> Outcome {
        guard let (fd, info) = openRegular(path) else { return failure(path) }
        defer { close(fd) }
        guard Int(info.st_size) <= limit else { return .tooLarge(limit: limit) }
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
        var count = 0
        while true {
            // A file that grows while read is read up to the limit, and refused beyond it.
            if count > limit { return .tooLarge(limit: limit) }
            if count == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: min(bytes.count, limit - count + 1))) }
            let n = bytes[count...].withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .unreadable
            }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return .contents(bytes, othersCanRead: info.st_mode & S_IROTH != 0)
    }

    /// `count` bytes from `offset` (fewer at the end of the file).
    package static func read(_ path: String, offset: Int64, count: Int) -> Outcome {
        guard let (fd, info) = openRegular(path) else { return failure(path) }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes[done...].withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset) + off_t(done)) }
            if n < 0 {
                if errno == EINTR { continue }
                return .unreadable
            }
            if n == 0 { break }
            done += n
        }
        return .contents(Array(bytes[..<done]), othersCanRead: info.st_mode & S_IROTH != 0)
    }

    /// Names of the entries of a directory (nil if it cannot be listed).
    package static func list(_ directory: String) -> [String]? {
        try? FileManager.default.contentsOfDirectory(atPath: directory)
    }

    package static func exists(_ path: String) -> Bool { status(path) != nil }

    /// The modification time in seconds since 1970 (nil if it does not exist).
    package static func modified(_ path: String) -> Int64? { status(path).map { Int64($0.st_mtim.tv_sec) } }

    /// The size in bytes of a file (nil if it does not exist).
    package static func size(_ path: String) -> Int64? { status(path).map { Int64($0.st_size) } }

    package static func isDirectory(_ path: String) -> Bool {
        guard let info = status(path) else { return false }
        return info.st_mode & S_IFMT == S_IFDIR
    }

    /// Whether the file opens for reading and writing (a device such as /dev/kvm); closed at once.
    package static func canOpenForWriting(_ path: String) -> Bool {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    package static func isExecutable(_ path: String) -> Bool {
        guard let info = status(path), info.st_mode & S_IFMT != S_IFDIR else { return false }
        return access(path, X_OK) == 0
    }
}
