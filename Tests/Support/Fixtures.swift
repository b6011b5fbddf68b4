#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ImageBuilderKit

/// Paths and scratch directories for tests.
package enum Fixtures {
    /// The repository root (three levels above this file).
    package static let repoRoot: String = {
        var path = #filePath
        for _ in 0..<3 { path = Paths.dirname(path) }
        return path
    }()

    /// The built CLI: IB_BIN (set by `make test`) or the debug build.
    package static var binary: String {
        ProcessInfo.processInfo.environment["IB_BIN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? repoRoot + "/.build/debug/image-builder"
    }

    package static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// Whether a tool is on PATH (large tests skip locally without it but run in CI).
    package static func hasTool(_ name: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileReader.isExecutable("\($0)/\(name)") }
    }

    /// A fresh directory under the system's temp folder.
    package static func makeTemporaryDirectory(_ label: String = "ib-test") throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let path = base + "/\(label)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A copy of the repository's data (images/, packer/, hack/, Makefile) to change freely.
    package static func makeRepoCopy() throws -> String {
        let root = try makeTemporaryDirectory("ib-root")
        for item in ["images", "packer", "hack", "Makefile"] {
            try FileManager.default.copyItem(atPath: repoRoot + "/" + item, toPath: root + "/" + item)
        }
        return root
    }

    /// Writes a text file, creating folders.
    package static func write(_ text: String, to path: String, mode: Int = 0o644) throws {
        try FileManager.default.createDirectory(atPath: Paths.dirname(path), withIntermediateDirectories: true)
        try FileWriter.write(text, to: path, mode: UInt32(mode))
    }

    package static func read(_ path: String) -> String? {
        guard case .contents(let bytes, _) = FileReader.read(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A stand-in packer that records its argv and environment names into `log` and exits
    /// with `exit` (for what would be started; never used where real packer can run).
    package static func recordingPacker(in directory: String, log: String, exit: Int = 0) throws -> String {
        let path = directory + "/packer-recorder"
        try write("""
            #!/bin/sh
            { printf 'ARGV'; for a in "$@"; do printf ' [%s]' "$a"; done; echo; env | sed 's/=.*//' | sort | tr '\\n' ' '; echo; } >> '\(log)'
            exit \(exit)
            """, to: path, mode: 0o755)
        return path
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// A file's permission bits.
package enum FileManagerMode {
    package static func of(_ path: String) throws -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else { throw ConfigError.fileMissing(path: path, origin: "test") }
        return Int(info.st_mode & 0o777)
    }
}

extension Fixtures {
    /// The validators' virtual environment made by `make test-deps` (kept off PATH).
    package static var toolsVenv: String { repoRoot + "/.build-tools/venv" }
    package static var hasToolsVenv: Bool { FileReader.isExecutable(toolsVenv + "/bin/ksvalidator") }
}

/// Copies a folder tree.
package enum FileManagerCopy {
    package static func copy(_ source: String, to destination: String) throws {
        try FileManager.default.copyItem(atPath: source, toPath: destination)
    }
}
