import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import Testing

/// Issue 12, item 8: a disk that is not a whole streamOptimized VMDK is refused before an OVA
/// is written — a truncated export, a text file named disk.vmdk, empty or garbage input on
/// standard input — and exit 1 leaves no OVA and no .partial.
@Suite(.enabled(if: (Fixtures.hasTool("qemu-img") && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI, "needs qemu-img"))
struct BadDiskTests {
    /// An output folder with a manifest, and a good VMDK to spoil.
    static func setUp() async throws -> (out: String, disk: String) {
        let out = try Fixtures.makeTemporaryDirectory("ib-bad-disk")
        try Fixtures.write(Fixtures.packerManifest([Fixtures.customData()]), to: out + "/packer-manifest.json")
        return (out, try await Fixtures.makeRandomVMDK(in: out, name: "good.vmdk", megabytes: 2))
    }

    static func package(_ out: String, _ shell: String) async throws -> Captured {
        try await ProcessCapture.run(
            "/bin/sh", ["-c", shell, Fixtures.binary], environment: ["IB_ROOT": Fixtures.repoRoot, "PATH": "/usr/bin:/bin"],
            workingDirectory: out)
    }

    static func noOVA(_ out: String) -> Bool {
        (FileReader.list(out) ?? []).allSatisfy { !$0.hasSuffix(".ova") && !$0.hasSuffix(".partial") && !$0.hasSuffix(".ovf") }
    }

    @Test func theStructureCheckNamesWhatIsWrong() async throws {
        let (out, disk) = try await Self.setUp()
        #expect(VMDKCheck.problem(path: disk) == nil)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: disk))
        try bytes.dropLast(2048).write(to: URL(fileURLWithPath: out + "/cut.vmdk"))
        #expect(VMDKCheck.problem(path: out + "/cut.vmdk")?.contains("cut short") == true)
        try Data("just some text\n".utf8).write(to: URL(fileURLWithPath: out + "/text.vmdk"))
        #expect(VMDKCheck.problem(path: out + "/text.vmdk")?.contains("too short") == true)
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: out + "/garbage.vmdk"))
        #expect(VMDKCheck.problem(path: out + "/garbage.vmdk")?.contains("no KDMV header") == true)
        var moved = [UInt8](bytes)
        moved[59] = 0x7F  // the grain directory's sector, far beyond the end
        try Data(moved).write(to: URL(fileURLWithPath: out + "/moved.vmdk"))
        #expect(VMDKCheck.problem(path: out + "/moved.vmdk")?.contains("grain directory") == true)
    }

    @Test("a truncated streamOptimized VMDK is refused, and no OVA is written")
    func truncatedDiskIsRefused() async throws {
        let (out, disk) = try await Self.setUp()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: disk))
        try bytes.prefix(bytes.count - 2048).write(to: URL(fileURLWithPath: out + "/cut.vmdk"))
        let r = try await Self.package(out, "exec \"$0\" ova package . --vmdk cut.vmdk")
        #expect(r.status == 1)
        #expect(r.stderr.contains("cut.vmdk") && r.stderr.contains("cut short"), "\(r.stderr)")
        #expect(Self.noOVA(out))
    }

    @Test("a text file named disk.vmdk is not converted as a raw disk")
    func aTextFileIsNotADisk() async throws {
        let (out, _) = try await Self.setUp()
        try Fixtures.write("not a disk at all\n", to: out + "/disk.vmdk")
        let r = try await Self.package(out, "exec \"$0\" ova package . --vmdk disk.vmdk")
        #expect(r.status == 1)
        #expect(r.stderr.contains("is not a VMDK"), "\(r.stderr)")
        #expect(Self.noOVA(out))
    }

    @Test(
        "--vmdk - with empty or garbage input writes no OVA",
        arguments: [
            "exec \"$0\" ova package . --vmdk - < /dev/null",
            "head -c 100000 /dev/urandom | \"$0\" ova package . --vmdk -",
        ])
    func badStandardInput(_ shell: String) async throws {
        let (out, _) = try await Self.setUp()
        let r = try await Self.package(out, shell)
        #expect(r.status == 1)
        #expect(r.stderr.contains("the streamed disk"), "\(r.stderr)")
        #expect(Self.noOVA(out))
    }

    @Test("a whole disk on standard input still packages and verifies")
    func goodStandardInput() async throws {
        let (out, _) = try await Self.setUp()
        let r = try await Self.package(out, "exec \"$0\" ova package . --vmdk - < good.vmdk")
        #expect(r.status == 0, "\(r.stderr)")
        let ova = try #require(FileReader.list(out)?.first { $0.hasSuffix(".ova") })
        #expect(try OVAVerifier.verify(out + "/" + ova).checksumFile)
    }
}

/// Issue 12, item 12: OVF custom properties with tabs, newlines and carriage returns come back
/// out of the OVA's descriptor exactly.
@Suite(.enabled(if: (Fixtures.hasTool("qemu-img") && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI, "needs qemu-img"))
struct OVFPropertyRoundTripTests {
    @Test func tabsNewlinesAndCarriageReturnsRoundTrip() async throws {
        let (out, _) = try await BadDiskTests.setUp()
        let value = "line one\n\tindented & <quoted> \"x\"\r\nend"
        let json = "{\"MULTI\": \"line one\\n\\tindented & <quoted> \\\"x\\\"\\r\\nend\"}"
        try Fixtures.write(json, to: out + "/props.json")
        let r = try await ProcessCapture.run(
            Fixtures.binary, ["ova", "package", ".", "--vmdk", "good.vmdk"],
            environment: ["IB_ROOT": Fixtures.repoRoot, "PATH": "/usr/bin:/bin", "OVF_CUSTOM_PROPERTIES": "props.json"], workingDirectory: out)
        #expect(r.status == 0, "\(r.stderr)")
        let ovf = try #require(FileReader.list(out)?.first { $0.hasSuffix(".ovf") }.flatMap { Fixtures.read(out + "/" + $0) })
        let line = try #require(ovf.split(separator: "\n").first { $0.contains("ovf:key=\"MULTI\"") })
        let escaped = try #require(line.split(separator: "ovf:value=\"").last?.split(separator: "\"").first.map(String.init))
        #expect(!escaped.contains("\n") && !escaped.contains("\t"), "written as character references")
        #expect(XMLEscapeCases.readBack(escaped)?.attribute == value)
    }
}
