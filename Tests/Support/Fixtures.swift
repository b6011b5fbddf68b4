import ImageBuilderKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

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

    /// A copy of the repository's data (images/, packer/, ansible/, hack/, Makefile) to change freely.
    /// Tests never leave loopback: every http(s) ISO of the copy's OS files points at a small
    /// local file instead (a build would otherwise fetch the real ISO into the cache). The Windows
    /// OSes (licensed media, an administrator password) are left out unless `windows`; then their
    /// ISO is a small local file with its checksum.
    package static func makeRepoCopy(windows: Bool = false) throws -> String {
        let root = try makeTemporaryDirectory("ib-root")
        SuiteCaptures.registerRoot(root)
        for item in ["images", "packer", "ansible", "hack", "Makefile"] {
            try FileManager.default.copyItem(atPath: repoRoot + "/" + item, toPath: root + "/" + item)
        }
        for name in FileReader.list(root + "/images") ?? [] where name.hasPrefix("windows-") {
            let path = root + "/images/" + name
            guard windows else {
                try FileManager.default.removeItem(atPath: path)
                continue
            }
            try write("not a real Windows ISO", to: root + "/iso/\(name.dropLast(5)).iso")
            let lines = (read(path) ?? "").split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                guard line.contains("\"iso_url\": \"file:///opt/iso/") else { return String(line) }
                return "  \"iso_url\": \"file://\(root)/iso/\(name.dropLast(5)).iso\",\n  \"iso_checksum\": \"sha256:"
                    + String(repeating: "0", count: 64) + "\","
            }
            try write(lines.joined(separator: "\n"), to: path)
        }
        for name in FileReader.list(root + "/images") ?? [] where name.hasSuffix(".json") {
            let path = root + "/images/" + name
            let text = read(path) ?? ""
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
                guard line.contains("\"iso_url\": \"http") else { return String(line) }
                return "  \"iso_url\": \"file://\(root)/iso/\(name.dropLast(5)).iso\","
            }
            try write(lines.joined(separator: "\n"), to: path)
            try write("not a real ISO", to: root + "/iso/\(name.dropLast(5)).iso")
        }
        return root
    }

    /// Writes a text file, creating folders.
    package static func write(_ text: String, to path: String, mode: Int = 0o644) throws {
        try FileManager.default.createDirectory(atPath: Paths.dirname(path), withIntermediateDirectories: true)
        try FileWriter.write(text, to: path, mode: UInt32(mode))
    }

    package static func read(_ path: String) -> String? {
        // Tests read what they made, disks included: no size cap.
        guard case .contents(let bytes, _) = FileReader.read(path, limit: Int.max - 1) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A stand-in packer that records its argv and environment names into `log` and exits
    /// with `exit` (for what would be started; never used where real packer can run).
    package static func recordingPacker(in directory: String, log: String, exit: Int = 0) throws -> String {
        let path = directory + "/packer-recorder"
        try write(
            """
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

extension Fixtures {
    /// A repo copy whose template is the test stand-in (null builders, shell-local steps), and a
    /// var file pointing its events log into `work`.
    package static func makeOrchestratorRoot(sleep: Int = 1) throws -> (root: String, work: String, events: String, varFile: String) {
        let root = try makeRepoCopy()
        let work = try makeTemporaryDirectory("ib-run")
        try FileManager.default.removeItem(atPath: root + "/packer/ova/packer-node.json")
        try FileManager.default.copyItem(atPath: repoRoot + "/Tests/Fixtures/test-template.json", toPath: root + "/packer/ova/packer-node.json")
        // RHEL's DVD is not public: the test root points it at a small local file.
        try write("not a real DVD", to: work + "/rhel-9.iso")
        let rhel = root + "/images/rhel-9.json"
        try write(
            (read(rhel) ?? "").replacingOccurrences(of: "file:///opt/iso/rhel-9.4-x86_64-dvd.iso", with: "file://" + work + "/rhel-9.iso"), to: rhel)
        let events = work + "/events"
        try write("{\"test_events\": \"\(events)\", \"test_sleep\": \"\(sleep)\"}", to: work + "/test.json")
        return (root, work, events, work + "/test.json")
    }

    /// The `start`/`end` lines of the test template's events log: (builder, OS build name, time).
    package static func events(_ path: String) -> [(kind: String, builder: String, os: String, time: Double)] {
        (read(path) ?? "").split(separator: "\n").compactMap { line in
            let f = line.split(separator: " ")
            guard f.count == 4, let t = Double(f[3]) else { return nil }
            return (String(f[0]), String(f[1]), String(f[2]), t)
        }
    }

    /// The parent of a process (from /proc/<pid>/stat).
    package static func parentPID(_ pid: Int32) -> Int32? {
        guard let stat = read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 1 ? Int32(fields[1]) : nil
    }

    package static func commandLine(_ pid: Int32) -> String? {
        read("/proc/\(pid)/cmdline")?.replacingOccurrences(of: "\0", with: " ")
    }

    /// Processes whose command line mentions `needle` (from /proc).
    package static func processes(mentioning needle: String) -> [String] {
        (FileReader.list("/proc") ?? []).filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
            guard let cmd = read("/proc/\(pid)/cmdline")?.replacingOccurrences(of: "\0", with: " "), cmd.contains(needle) else { return nil }
            return pid + " " + cmd
        }
    }
}

extension Fixtures {
    /// Every .swift file under `directory`, recursively, sorted.
    package static func swiftFiles(under directory: String) -> [String] {
        var files: [String] = []
        for name in (FileReader.list(directory) ?? []).sorted() where !name.hasPrefix(".") {
            let path = directory + "/" + name
            if FileReader.isDirectory(path) {
                files += swiftFiles(under: path)
            } else if name.hasSuffix(".swift") {
                files.append(path)
            }
        }
        return files
    }
}
