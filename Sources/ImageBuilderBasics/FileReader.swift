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

/// Reads whole small files (configs) and tells apart the ways that can fail.
package enum FileReader {
    package enum Outcome: Sendable {
        case missing
        case directory
        case unreadable
        case contents([UInt8], othersCanRead: Bool)
    }

    private static func status(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    package static func read(_ path: String) -> Outcome {
        guard let info = status(path) else { return .missing }
        if info.st_mode & S_IFMT == S_IFDIR { return .directory }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .unreadable }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: max(Int(info.st_size), 0) + 1)
        var count = 0
        while true {
            if count == bytes.count { bytes.append(contentsOf: [UInt8](repeating: 0, count: bytes.count)) }
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
        guard let info = status(path) else { return .missing }
        if info.st_mode & S_IFMT == S_IFDIR { return .directory }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .unreadable }
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

    /// The size in bytes of a file (nil if it does not exist).
    package static func size(_ path: String) -> Int64? { status(path).map { Int64($0.st_size) } }

    package static func isDirectory(_ path: String) -> Bool {
        guard let info = status(path) else { return false }
        return info.st_mode & S_IFMT == S_IFDIR
    }

    package static func isExecutable(_ path: String) -> Bool {
        guard let info = status(path), info.st_mode & S_IFMT != S_IFDIR else { return false }
        return access(path, X_OK) == 0
    }
}
