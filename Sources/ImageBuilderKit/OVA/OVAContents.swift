public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning
import OVAKit
public import VSphereKit

/// An OVA read for deployment: its descriptor's text and where each referenced file's bytes are
/// inside the archive (streamed from there, never extracted).
package struct OVAContents: Sendable {
    package let path: String
    package let descriptorName: String
    package let descriptor: String
    package let descriptorSlice: VSphereClient.FileSlice
    /// Every other member but the manifest and certificate, by name.
    package let files: [String: VSphereClient.FileSlice]
    /// The networks the descriptor declares (`<Network ovf:name="…">`).
    package let networks: [String]
    /// The firmware (`bios`, `efi`) and Secure Boot the descriptor declares.
    package let firmware: String
    package let secureBoot: Bool

    package init(path: String) throws {
        let index: TarIndex
        do { index = try TarIndex(path: path) } catch {
            throw OVAError.damaged(path: path, reason: "not a readable OVA: \(error.description.replacingOccurrences(of: path + ": ", with: ""))")
        }
        guard let ovf = index.members.first(where: { $0.name.hasSuffix(".ovf") }) else {
            throw OVAError.invalidInput(path: path, reason: "no .ovf descriptor inside")
        }
        guard ovf.size < 16 << 20, case .contents(let bytes, _) = FileReader.read(path, offset: ovf.offset, count: Int(ovf.size)) else {
            throw OVAError.invalidInput(path: path, reason: "the descriptor \(ovf.name) cannot be read")
        }
        self.path = path
        descriptorName = ovf.name
        descriptor = String(decoding: bytes, as: UTF8.self)
        descriptorSlice = .init(path: path, offset: ovf.offset, size: ovf.size)
        var files: [String: VSphereClient.FileSlice] = [:]
        for member in index.members where member.name != ovf.name && !member.name.hasSuffix(".mf") && !member.name.hasSuffix(".cert") {
            files[member.name] = .init(path: path, offset: member.offset, size: member.size)
        }
        self.files = files
        // Read with the XML reader the vSphere client uses (vCenter reports a broken descriptor itself).
        let envelope = try? XMLTree.parse(bytes)
        networks = envelope?.child("NetworkSection")?.children("Network").compactMap { $0.attributes["ovf:name"] } ?? []
        let summary = try? OVFSummary.parse(bytes)
        firmware = summary?.firmware ?? "bios"
        secureBoot = summary?.secureBoot ?? false
    }
}
