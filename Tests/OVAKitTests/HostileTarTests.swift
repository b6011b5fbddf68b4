import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import Testing

/// Crafted archives are refused at their first impossible header, never read without bound.
/// The limit only catches a hang: on CI's loaded 2 cores the suite waited 97 s for threads
/// (its cases take milliseconds when they run).
@Suite(.timeLimit(.minutes(10))) struct HostileTarTests {
    /// A 1.5 KB archive: one ustar header whose size field is `size` (12 bytes), then two blocks.
    static func archive(size: [UInt8], name: String = "evil.ovf") throws -> String {
        var header = TarHeader.ustar(name: name, size: 0, mtime: 0)
        header.replaceSubrange(124..<136, with: size)
        header.replaceSubrange(148..<156, with: Array(repeating: UInt8(ascii: " "), count: 8))
        let sum = header.reduce(0) { $0 + Int($1) }
        let field = Array(String(sum, radix: 8).utf8)
        header.replaceSubrange(148..<156, with: Array(repeating: UInt8(ascii: "0"), count: 6 - field.count) + field + [0, 32])
        let directory = try Fixtures.makeTemporaryDirectory("ib-hostile")
        let path = directory + "/evil.ova"
        try Data(header + [UInt8](repeating: 0x41, count: 1024)).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test("a negative base-256 size is refused")
    func negativeSize() throws {
        let path = try Self.archive(size: [0xFF] + [UInt8](repeating: 0xFF, count: 10) + [0xF0])
        #expect(throws: TarIndex.ReadError.badSize(path: path, member: "evil.ovf")) { try TarIndex(path: path) }
        #expect(throws: OVAVerifier.Defect.self) { try OVAVerifier.verify(path) }
    }

    @Test("a base-256 size beyond Int64 is refused")
    func overflowingSize() throws {
        let path = try Self.archive(size: [0x80] + [UInt8](repeating: 0xFF, count: 11))
        #expect(throws: TarIndex.ReadError.badSize(path: path, member: "evil.ovf")) { try TarIndex(path: path) }
    }

    @Test("a size beyond the file's end is a truncated archive")
    func sizeBeyondTheFile() throws {
        let path = try Self.archive(size: Array("00000100000".utf8) + [0])
        #expect(throws: TarIndex.ReadError.truncated(path: path, member: "evil.ovf")) { try TarIndex(path: path) }
    }

    @Test("garbage is not a tar archive, and the message has no byte offset")
    func garbageIsNotATar() throws {
        let directory = try Fixtures.makeTemporaryDirectory("ib-hostile")
        try Fixtures.write(String(repeating: "this is not an OVA at all. ", count: 100), to: directory + "/x.ova")
        #expect(throws: TarIndex.ReadError.notATar(path: directory + "/x.ova")) { try TarIndex(path: directory + "/x.ova") }
        do {
            _ = try OVAVerifier.verify(directory + "/x.ova")
            Issue.record("verified garbage")
        } catch {
            #expect(error.description.contains("not a tar archive") && !error.description.contains("byte"))
        }
    }

    @Test("ova verify of a crafted archive ends at once with exit 1", .enabled(if: FileReader.isExecutable(Fixtures.binary) || Fixtures.isCI))
    func verifyEndsWithExitOne() async throws {
        let path = try Self.archive(size: [0xFF] + [UInt8](repeating: 0xFF, count: 10) + [0xF0])
        let run = try await ProcessCapture.run(Fixtures.binary, ["ova", "verify", path], environment: ["PATH": "/usr/bin:/bin"])
        #expect(run.status == 1)
        #expect(run.stderr.contains("impossible size"), "\(run.stderr)")
    }
}
