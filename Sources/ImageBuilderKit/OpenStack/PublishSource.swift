public import ImageBuilderBasics
public import OVAKit

#if canImport(Glibc)
    import Glibc
#endif

/// An OVA read for publishing: its descriptor's summary, the first disk's place in the archive
/// (streamed from there, never extracted), the manifest's digest of that disk, and the OVA's
/// sha256 (its `.ova.sha256` file when there is one, else computed).
package struct PublishSource: Sendable {
    package let path: String
    package let size: Int64
    package let ovf: OVFSummary
    package let diskName: String
    package let diskOffset: Int64
    package let diskSize: Int64
    /// The manifest's sha256 of the disk, when the OVA has a manifest that lists it.
    package let diskSHA256: String?
    package let sha256: String
    /// Whether `sha256` was read from the checksum file (then checked while an `ova` upload streams).
    package let sha256FromFile: Bool

    package init(path: String) throws(PublishError) {
        guard FileReader.exists(path) else { throw .invalidInput(path: path, reason: "no such file") }
        let index: TarIndex
        do { index = try TarIndex(path: path) } catch {
            throw .invalidInput(path: path, reason: "not a readable OVA: \(error.description.replacingOccurrences(of: path + ": ", with: ""))")
        }
        func read(_ member: TarIndex.Member, limit: Int64) throws(PublishError) -> [UInt8] {
            guard member.size <= limit, case .contents(let bytes, _) = FileReader.read(path, offset: member.offset, count: Int(member.size)) else {
                throw .invalidInput(path: path, reason: "\(member.name) cannot be read (or is over \(limit) bytes)")
            }
            return bytes
        }
        guard let descriptor = index.members.first(where: { $0.name.hasSuffix(".ovf") }) else {
            throw .invalidInput(path: path, reason: "no .ovf descriptor inside")
        }
        do { ovf = try OVFSummary.parse(try read(descriptor, limit: 16 << 20)) } catch let error as PublishError { throw error } catch {
            throw .invalidInput(path: path, reason: "\(descriptor.name): \(error)")
        }
        guard let disk = ovf.disks.first else { throw .invalidInput(path: path, reason: "\(descriptor.name) declares no disk") }
        guard let member = index.member(disk.href) else {
            throw .invalidInput(path: path, reason: "\(descriptor.name) names disk \(disk.href), which is not in the archive")
        }
        var header = [UInt8]()
        if case .contents(let bytes, _) = FileReader.read(path, offset: member.offset, count: 512) { header = bytes }
        guard VMDKHeader.isStreamOptimized(header) else {
            throw .invalidInput(
                path: path, reason: "\(disk.href) is not a streamOptimized VMDK (Nova's VMware driver imports only those from an OVA)")
        }
        let descriptorFD = open(path, O_RDONLY)
        defer { if descriptorFD >= 0 { close(descriptorFD) } }
        if let problem = VMDKCheck.problem(descriptor: descriptorFD, offset: member.offset, size: member.size) {
            throw .invalidInput(path: path, reason: "\(disk.href): \(problem)")
        }
        var manifestDigest: String?
        if let mf = index.members.first(where: { $0.name.hasSuffix(".mf") }),
            let manifest = try? Manifest(parsing: String(decoding: try read(mf, limit: 1 << 20), as: UTF8.self))
        {
            manifestDigest = manifest.entries.first { $0.file == disk.href }?.sha256
        }
        self.path = path
        size = FileReader.size(path) ?? 0
        diskName = disk.href
        diskOffset = member.offset
        diskSize = member.size
        diskSHA256 = manifestDigest
        let sidecar = path + ".sha256"
        if case .contents(let bytes, _) = FileReader.read(sidecar, limit: 4096),
            let word = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" }).first,
            word.count == 64, word.allSatisfy(\.isHexDigit)
        {
            sha256 = word.lowercased()
            sha256FromFile = true
        } else {
            do { sha256 = try SHA256File.hex(path) } catch { throw .invalidInput(path: path, reason: "cannot be read: \(error)") }
            sha256FromFile = false
        }
    }

    /// The virtual size Glance should report for the disk: the OVF's capacity.
    package var capacityBytes: Int64 { ovf.disks.first?.capacityBytes ?? 0 }
}
