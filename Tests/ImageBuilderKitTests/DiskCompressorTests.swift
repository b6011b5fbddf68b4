import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import Testing

/// The `.dd.gz` pass: gzip's own reader gets the disk back, and the hash is of the bytes written.
@Suite struct DiskCompressorTests {
    @Test func gzipReadsBackTheDiskAndTheHashIsTheFiles() async throws {
        let dir = try Fixtures.makeTemporaryDirectory("ib-ddgz")
        let raw = dir + "/disk.raw"
        // Random data, a sparse stretch of zeros, random again: 9 MiB in all, chunks across both.
        let made = try await ProcessCapture.run(
            "/bin/sh", ["-c", "{ head -c 3000000 /dev/urandom; head -c 5000000 /dev/zero; head -c 1437216 /dev/urandom; } > \"$1\"", "sh", raw])
        #expect(made.status == 0)
        let result = try DiskCompressor.compress(raw, to: dir + "/disk.dd.gz")
        #expect(result.rawBytes == 9_437_216)
        #expect(result.compressedBytes == FileReader.size(dir + "/disk.dd.gz"))
        #expect(result.sha256 == (try SHA256File.hex(dir + "/disk.dd.gz")))
        let back = try await ProcessCapture.run(
            "/bin/sh", ["-c", "gzip -t \"$1\" && gzip -dc \"$1\" | cmp - \"$2\"", "sh", dir + "/disk.dd.gz", raw])
        #expect(back.status == 0, "\(back.stdout)\(back.stderr)")
    }

    @Test func aCancelledPassLeavesNoFile() throws {
        let dir = try Fixtures.makeTemporaryDirectory("ib-ddgz")
        try Fixtures.write(String(repeating: "x", count: 1 << 20), to: dir + "/disk.raw")
        #expect(throws: CancellationError.self) { try DiskCompressor.compress(dir + "/disk.raw", to: dir + "/out.gz", cancelled: { true }) }
        #expect(!FileReader.exists(dir + "/out.gz"))
    }
}
