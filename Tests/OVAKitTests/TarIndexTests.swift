import Foundation
import OVAKit
import Testing

/// Reading an OVA's members in place from tar headers, as made by GNU tar.
struct TarIndexTests {
    func run(_ script: String, _ directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, "sh", directory]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test(arguments: ["ustar", "gnu", "pax"])
    func membersAndOffsetsMatchTheirContents(format: String) throws {
        let directory = NSTemporaryDirectory() + "ib-tar-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let long = String(repeating: "d", count: 60) + "/" + String(repeating: "n", count: 70) + ".vmdk"
        try FileManager.default.createDirectory(atPath: directory + "/" + String(repeating: "d", count: 60), withIntermediateDirectories: true)
        try Data("descriptor".utf8).write(to: URL(fileURLWithPath: directory + "/a.ovf"))
        try Data(repeating: 7, count: 1025).write(to: URL(fileURLWithPath: directory + "/" + long))
        try Data().write(to: URL(fileURLWithPath: directory + "/empty.mf"))
        try run("cd \"$1\" && tar --format=\(format) -cf x.ova a.ovf \(long) empty.mf", directory)

        let index = try TarIndex(path: directory + "/x.ova")
        #expect(index.members.map(\.name) == ["a.ovf", long, "empty.mf"])
        let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/x.ova"))
        let ovf = try #require(index.member("a.ovf"))
        #expect(bytes[Int(ovf.offset)..<Int(ovf.offset + ovf.size)] == Data("descriptor".utf8))
        let disk = try #require(index.member(long))
        #expect(disk.size == 1025 && bytes[Int(disk.offset)..<Int(disk.offset + disk.size)].allSatisfy { $0 == 7 })
        #expect(index.member("empty.mf")?.size == 0)
    }

    @Test func aTruncatedArchiveNamesTheMember() throws {
        let directory = NSTemporaryDirectory() + "ib-tar-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Data(repeating: 1, count: 4096).write(to: URL(fileURLWithPath: directory + "/disk.vmdk"))
        try run("cd \"$1\" && tar --format=ustar -cf x.ova disk.vmdk && truncate -s 2048 x.ova", directory)
        #expect(throws: TarIndex.ReadError.truncated(path: directory + "/x.ova", member: "disk.vmdk")) {
            try TarIndex(path: directory + "/x.ova")
        }
    }
}
