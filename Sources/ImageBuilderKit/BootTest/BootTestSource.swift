import Foundation
public import ImageBuilderBasics
import OVAKit

/// What a boot test boots, from what the user named: a disk file (raw, qcow2, VMDK), an OVA (its
/// first disk, read in place inside the archive: qemu's `raw` driver at the member's offset, so
/// nothing is extracted or copied), or a build's output folder (the one OVA in it). The disk is
/// never written: the guest writes to a qcow2 overlay over this backing.
package struct BootTestSource: Sendable, Equatable {
    /// The overlay's backing: a path, or a `json:` block-device description.
    package let backing: String
    /// Its format for qemu (`-F`): raw, qcow2 or vmdk.
    package let format: String
    /// What the user named, resolved (`build.ova: disk-0.vmdk`), for messages.
    package let name: String

    package init(backing: String, format: String, name: String) {
        self.backing = backing
        self.format = format
        self.name = name
    }

    /// Resolves `path`; anything that is not a disk, an OVA with a disk or a folder with one OVA
    /// is bad input naming the path. FIFOs and devices are refused before any tool reads them.
    static func resolve(_ path: String, tools: BootTestTools) async throws -> BootTestSource {
        if FileReader.isDirectory(path) {
            let ovas = (FileReader.list(path) ?? []).filter { $0.hasSuffix(".ova") }.sorted()
            guard ovas.count == 1 else {
                let found = ovas.isEmpty ? "none" : ovas.joined(separator: ", ")
                throw BootTestError.input(path: path, reason: "a build's output folder holds one .ova to boot; found \(found)")
            }
            return try ova(path + "/" + ovas[0])
        }
        switch FileReader.read(path, offset: 0, count: 512) {
        case .contents(let head, _):
            if path.hasSuffix(".ova") || isTar(head) { return try ova(path) }
            return BootTestSource(backing: path, format: try await BootTestRun.format(of: path, head: head, tools: tools), name: path)
        case .missing: throw BootTestError.input(path: path, reason: "no such disk, OVA or folder")
        case .directory: throw BootTestError.input(path: path, reason: "a directory")
        case .notRegular(let kind): throw BootTestError.input(path: path, reason: "\(kind), not a disk")
        case .unreadable, .tooLarge: throw BootTestError.input(path: path, reason: "cannot be read")
        }
    }

    /// The OVA's first disk as a `json:` backing over the archive's bytes.
    static func ova(_ path: String) throws -> BootTestSource {
        let index: TarIndex
        do { index = try TarIndex(path: path) } catch { throw BootTestError.input(path: path, reason: "not an OVA: \(error)") }
        guard let disk = index.members.first(where: { $0.name.hasSuffix(".vmdk") }) else {
            throw BootTestError.input(path: path, reason: "an OVA without a .vmdk disk")
        }
        guard case .contents(let head, _) = FileReader.read(path, offset: disk.offset, count: 512),
            head.starts(with: Array("KDMV".utf8))
        else { throw BootTestError.input(path: path, reason: "\(disk.name) is not a sparse VMDK") }
        let json = try BackingJSON.vmdk(in: path, offset: disk.offset, size: disk.size)
        return BootTestSource(backing: "json:" + json, format: "vmdk", name: "\(path): \(disk.name)")
    }

    /// qemu's block-device description of a VMDK stored at `offset` inside `path`.
    struct BackingJSON: Encodable {
        struct Slice: Encodable {
            struct File: Encodable {
                let driver = "file"
                let filename: String
            }
            let driver = "raw"
            let offset: Int64
            let size: Int64
            let file: File
        }
        let driver = "vmdk"
        let file: Slice

        static func vmdk(in path: String, offset: Int64, size: Int64) throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let value = BackingJSON(file: Slice(offset: offset, size: size, file: .init(filename: path)))
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        }
    }

    /// A POSIX tar header: `ustar` at byte 257.
    static func isTar(_ head: [UInt8]) -> Bool {
        head.count >= 262 && Array(head[257..<262]) == Array("ustar".utf8)
    }
}
