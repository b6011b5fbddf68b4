public import ImageBuilderBasics
import Synchronization

/// Loads and checks var files, each path once per run; plans of one run load from several
/// threads at once.
package final class VarFileLoader: Sendable {
    private let cache = Mutex<[String: VarFile]>([:])
    private let jsonCache = Mutex<[String: (JSONValue, othersCanRead: Bool)]>([:])

    package init() {}

    /// Var files, templates and OS files are small: 16 MiB at most.
    package static let limit = 16 << 20

    /// Loads the var file at an absolute path.
    /// - Parameter origin: how the file was named, for messages ("PACKER_VAR_FILES", "images/").
    /// - Throws: `ConfigError` naming the file (and key).
    package func load(_ path: String, origin: String) throws(ConfigError) -> VarFile {
        if let cached = cache.withLock({ $0[path] }) { return cached }
        let (json, othersCanRead) = try loadJSON(path, origin: origin)
        let file = try VarFile(path: path, json: json, othersCanRead: othersCanRead)
        cache.withLock { $0[path] = file }
        return file
    }

    /// Parses any JSON file strictly (templates, OS files).
    package func loadJSON(_ path: String, origin: String) throws(ConfigError) -> (JSONValue, othersCanRead: Bool) {
        if let cached = jsonCache.withLock({ $0[path] }) { return cached }
        let (bytes, othersCanRead) = try VarFileLoader.read(path, limit: VarFileLoader.limit, origin: origin)
        // packer reads these files too, and refuses a byte-order mark.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw .invalidJSON(
                path: path, line: 1, column: 1, reason: "starts with a UTF-8 byte-order mark, which packer rejects (save it without one)")
        }
        do {
            let json = try JSONParser.parse(bytes)
            jsonCache.withLock { $0[path] = (json, othersCanRead) }
            return (json, othersCanRead)
        } catch {
            throw .invalidJSON(path: path, line: error.line, column: error.column, reason: error.reason)
        }
    }

    /// A configuration file's bytes, or the error naming it and how it was named.
    package static func read(_ path: String, limit: Int, origin: String) throws(ConfigError) -> (bytes: [UInt8], othersCanRead: Bool) {
        switch FileReader.read(path, limit: limit) {
        case .contents(let bytes, let othersCanRead): return (bytes, othersCanRead)
        case .notRegular(let kind): throw .notRegularFile(path: path, kind: kind, origin: origin)
        case .tooLarge(let limit): throw .fileTooLarge(path: path, limit: limit, origin: origin)
        case .missing: throw .fileMissing(path: path, origin: origin)
        case .directory: throw .isDirectory(path: path, origin: origin)
        case .unreadable: throw .fileUnreadable(path: path, origin: origin)
        }
    }
}
