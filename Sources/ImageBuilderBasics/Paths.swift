/// Lexical path handling: absolute paths, `.`/`..` folding, display relative to the repo root.
package enum Paths {
    /// `path` made absolute against `base` (a directory), with `.` and `..` folded.
    package static func absolute(_ path: String, relativeTo base: String) -> String {
        let expanded = path.hasPrefix("/") ? path : base + "/" + path
        return normalize(expanded)
    }

    /// Folds `.`, `..` and repeated slashes of an absolute path.
    package static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                _ = parts.popLast()
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// `path` relative to `root` when it lies inside it, else `path` unchanged (for messages).
    package static func display(_ path: String, root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// Whether `path` is `directory` or lies below it.
    package static func isInside(_ path: String, _ directory: String) -> Bool {
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        return path == dir || path.hasPrefix(dir + "/")
    }

    /// The last component of a path.
    package static func basename(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// Whether `name` is one file name: no `/`, not `.` or `..`, no NUL or newline.
    package static func isPlainName(_ name: String) -> Bool {
        !name.contains("/") && name != "." && name != ".." && !name.contains("\0") && !name.contains("\n")
    }

    /// `name` as one file name: letters, digits, `.`, `_` and `-` kept, anything else `_`.
    package static func safeName(_ name: String) -> String {
        let safe = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
        return safe.isEmpty || safe.allSatisfy({ $0 == "." }) ? "_" + safe : safe
    }

    /// Everything before the last component.
    package static func dirname(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
