#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// ISOs fetched once per machine: `output/.cache/iso/<sha256>.iso`, keyed by the checksum the
/// OS file gives, downloaded under a file lock (safe across builds and processes), verified,
/// then renamed into place. packer gets the local copy as `-var iso_url=file://…` (shown by
/// `plan`); `file://` ISOs are used where they are.
package enum ISOCache {
    /// The cached path for an http(s) URL with a `sha256:` checksum; nil when it is not cached.
    package static func path(url: String, checksum: String, layout: RepoLayout) -> String? {
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), checksum.lowercased().hasPrefix("sha256:") else { return nil }
        let hex = String(checksum.dropFirst("sha256:".count)).lowercased()
        guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else { return nil }
        return layout.outputDirectory + "/.cache/iso/" + hex + ".iso"
    }

    package struct Failure: UserFacingError {
        package let url: String
        package let reason: String
        package var description: String { "ISO \(url): \(reason)" }
        package var exitStatus: ExitStatus { .failed }
    }

    /// Makes sure `path` holds the verified ISO; `onFetch` is told when this call downloads it.
    package static func ensure(url: String, path: String, onFetch: @Sendable () -> Void) async throws {
        let sha = String(Paths.basename(path).dropLast(4))
        try FileWriter.makeDirectory(Paths.dirname(path))
        let lock = try await FileLock.acquire(path + ".lock", exclusive: true)
        defer { _ = lock }
        if FileReader.exists(path) { return }
        onFetch()
        let partial = path + ".partial"
        let fetched = try await tool("curl", ["--fail", "--silent", "--show-error", "--location", "--output", partial, url])
        guard fetched.ok else { _ = try? FileWriter.remove(partial); throw Failure(url: url, reason: "download failed: \(fetched.text)") }
        let summed = try await tool("sha256sum", [partial])
        let actual = summed.text.split(separator: " ").first.map(String.init) ?? ""
        guard summed.ok, actual == sha else {
            _ = try? FileWriter.remove(partial)
            throw Failure(url: url, reason: "checksum mismatch: expected sha256:\(sha), got sha256:\(actual)")
        }
        guard rename(partial, path) == 0 else { throw Failure(url: url, reason: "cannot move it into the cache") }
    }

    /// Runs a helper through our runner, so cancelling a long download stops curl.
    private static func tool(_ name: String, _ arguments: [String]) async throws -> (ok: Bool, text: String) {
        let lines = LineCollector()
        let command = ProcessCommand(executable: "/usr/bin/env", arguments: [name] + arguments,
                                     environment: ["PATH": "/usr/local/bin:/usr/bin:/bin"], workingDirectory: "/")
        let outcome = try await SubprocessRunner(grace: .seconds(5)).run(command) { _, line in lines.append(line) }
        if outcome == .exited(127) {
            throw EnvironmentError.toolMissing(tool: name, hint: "install \(name) (Debian: apt-get install \(name == "curl" ? "curl" : "coreutils"))")
        }
        return (outcome.succeeded, lines.text)
    }
}

/// Collects a child's lines (a small, bounded amount).
final class LineCollector: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { if $0.count < 50 { $0.append(line) } } }
    var text: String { lines.withLock { $0.joined(separator: " ") } }
}
