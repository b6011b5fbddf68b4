import AsyncHTTPClient
public import ImageBuilderBasics
public import ImageBuilderPlanning
import NIOCore
import NIOHTTP1
import OVAKit
import OpenStackKit

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Fetches an ISO into the cache once, under a file lock (builds of this run and of other
/// processes share it), hashing while it writes; a mismatch caches nothing.
package enum ISOFetcher {
    /// Makes sure `download.path` holds the verified ISO; `onFetch` is called when it downloads.
    package static func ensure(_ download: ISODownload, onFetch: @Sendable () -> Void) async throws {
        try FileWriter.makeDirectory(Paths.dirname(download.path))
        let lock = try await FileLock.acquire(download.path + ".lock", exclusive: true)
        defer { withExtendedLifetime(lock) {} }
        if FileReader.exists(download.path) { return }
        onFetch()
        let partial = download.path + ".partial"
        do {
            let actual = try await fetch(download.url, into: partial, algorithm: download.checksum.algorithm)
            guard actual == download.checksum.hex else {
                throw RunError.isoChecksumMismatch(
                    url: download.url, expected: download.checksum.description,
                    actual: download.checksum.algorithm.rawValue + ":" + actual)
            }
            guard rename(partial, download.path) == 0 else { throw RunError.isoCache(url: download.url, reason: "cannot move it into the cache") }
        } catch {
            _ = try? FileWriter.remove(partial)
            throw error
        }
    }

    /// Streams the body into `path` (0644) and returns its hex digest.
    static func fetch(_ url: String, into path: String, algorithm: ISOChecksum.Algorithm) async throws -> String {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunError.isoCache(url: url, reason: "cannot write \(path)") }
        defer { close(fd) }
        var sha256 = SHA256()
        var sha512 = SHA512()
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(redirectConfiguration: .follow(max: 10, allowCycles: false)))
        do {
            let response = try await client.execute(HTTPClientRequest(url: url), timeout: .hours(6))
            guard response.status.code == 200 else { throw RunError.isoDownload(url: url, reason: "HTTP \(response.status.code)") }
            for try await chunk in response.body {
                try Task.checkCancellation()
                try chunk.withUnsafeReadableBytes { bytes in
                    switch algorithm {
                    case .sha256: sha256.update(bufferPointer: bytes)
                    case .sha512: sha512.update(bufferPointer: bytes)
                    }
                    var offset = 0
                    while offset < bytes.count {
                        let n = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
                        if n < 0 && errno == EINTR { continue }
                        guard n > 0 else { throw RunError.isoCache(url: url, reason: "write failed (errno \(errno))") }
                        offset += n
                    }
                }
            }
        } catch let error as RunError {
            try? await client.shutdown()
            throw error
        } catch is CancellationError {
            try? await client.shutdown()
            throw CancellationError()
        } catch {
            try? await client.shutdown()
            throw RunError.isoDownload(url: url, reason: "\(error)")
        }
        try await client.shutdown()
        let digest: [UInt8] = algorithm == .sha256 ? Array(sha256.finalize()) : Array(sha512.finalize())
        return digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
