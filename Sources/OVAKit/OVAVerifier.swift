import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Checks an OVA: tar order and names, manifest digests, a well-formed OVF whose References
/// match the members and their sizes, streamOptimized disks, and the `.ova.sha256` beside it.
public enum OVAVerifier {
    /// A bad artifact (exit 1), with what is wrong.
    public struct Defect: Error, Sendable, Equatable, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// What was checked, for the report.
    public struct Report: Sendable, Equatable {
        public let members: [String]
        public let checkedDigests: Int
        public let checksumFile: Bool
    }

    public static func verify(_ path: String) throws(Defect) -> Report {
        func defect(_ reason: String) -> Defect { Defect(path: path, reason: reason) }
        let index: TarIndex
        do { index = try TarIndex(path: path) } catch {
            if case .notATar = error { throw defect("not a tar archive (an OVA is one)") }
            throw defect("not a complete tar archive: \(error.description.replacingOccurrences(of: path + ": ", with: ""))")
        }
        let names = index.members.map(\.name)
        guard names.count >= 3 else { throw defect("expected an OVF, a manifest and disks, found \(names)") }
        guard names[0].hasSuffix(".ovf") else { throw defect("the first member must be the OVF, found \(names[0])") }
        // The manifest follows the OVF, or ends the archive (OVF 2.1 §5.3 allows both).
        let manifestIndex = names[1].hasSuffix(".mf") ? 1 : names.count - 1
        guard names[manifestIndex].hasSuffix(".mf") else {
            throw defect("the manifest must follow the OVF or end the archive, found \(names[1]) and \(names[names.count - 1])")
        }
        if let nested = names.first(where: { $0.contains("/") }) { throw defect("member names must be basenames: \(nested)") }
        let file = FileHandle(forReadingAtPath: path)
        defer { try? file?.close() }
        func bytes(_ member: TarIndex.Member, limit: Int? = nil) -> Data {
            try? file?.seek(toOffset: UInt64(member.offset))
            return (try? file?.read(upToCount: limit ?? Int(member.size))) ?? Data()
        }

        // Manifest: every line names a member and holds its digest.
        let manifestText = String(decoding: bytes(index.members[manifestIndex]), as: UTF8.self)
        let manifest: Manifest
        do { manifest = try Manifest(parsing: manifestText) } catch { throw defect("malformed manifest \(names[manifestIndex]): \(error)") }
        for entry in manifest.entries {
            guard let member = index.member(entry.file) else { throw defect("the manifest lists \(entry.file), which is not in the archive") }
            var hasher = SHA256()
            try? ReadAhead.forEach(path: path, offset: member.offset, size: member.size) { hasher.update(bufferPointer: $0) }
            if OVAWriter.hex(hasher.finalize()) != entry.sha256 {
                throw defect("digest mismatch for \(entry.file): the manifest says \(entry.sha256)")
            }
        }
        for (position, name) in names.enumerated()
        where position != 0 && position != manifestIndex
            && !manifest.entries.contains(where: { $0.file == name })
        {
            throw defect("\(name) has no manifest line")
        }

        // The OVF: well-formed, its References are the disks, with their sizes.
        let references = try parseReferences(bytes(index.members[0]), path: path, name: names[0])
        for (href, size) in references {
            guard let member = index.member(href) else { throw defect("the OVF references \(href), which is not in the archive") }
            if let size, size != member.size { throw defect("the OVF gives \(href) \(size) bytes, the archive \(member.size)") }
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        defer { if descriptor >= 0 { close(descriptor) } }
        for member in index.members.dropFirst() where member.name.hasSuffix(".vmdk") {
            let header = [UInt8](bytes(member, limit: 512))
            guard header.count >= 80, header.starts(with: Array("KDMV".utf8)) else { throw defect("\(member.name) is not a VMDK sparse extent") }
            guard VMDKHeader.isStreamOptimized(header) else { throw defect("\(member.name) is not streamOptimized (no compressed grains)") }
            let problem = descriptor < 0 ? "cannot be read" : VMDKCheck.problem(descriptor: descriptor, offset: member.offset, size: member.size)
            if let problem { throw defect("\(member.name) \(problem)") }
        }

        // The checksum file beside it, if there is one.
        let checksumPath = path + ".sha256"
        var checked = false
        if let recorded = FileManager.default.contents(atPath: checksumPath) {
            let text = String(decoding: recorded, as: UTF8.self)
            guard text.count == 64, text.allSatisfy(\.isHexDigit) else { throw defect("\(checksumPath) is not a bare SHA-256 digest") }
            guard (try? SHA256File.hex(path)) == text.lowercased() else { throw defect("the OVA does not match \(checksumPath)") }
            checked = true
        }
        return Report(members: names, checkedDigests: manifest.entries.count, checksumFile: checked)
    }

    /// `ovf:href` and `ovf:size` of every References/File; throws if the OVF is not well-formed.
    static func parseReferences(_ data: Data, path: String, name: String) throws(Defect) -> [(String, Int64?)] {
        final class Collector: NSObject, XMLParserDelegate {
            var files: [(String, Int64?)] = []
            /// Open elements: Foundation's parser on Linux accepts a document cut short.
            var depth = 0
            var elements = 0
            func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) { depth -= 1 }
            func parser(
                _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String]
            ) {
                depth += 1
                elements += 1
                guard element.split(separator: ":").last == "File", let href = attributes["ovf:href"] else { return }
                files.append((href, attributes["ovf:size"].flatMap { Int64($0) }))
            }
        }
        let parser = XMLParser(data: data)
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse() else {
            throw Defect(
                path: path, reason: "\(name) is not well-formed XML (line \(parser.lineNumber)): \(parser.parserError.map { "\($0)" } ?? "")")
        }
        guard collector.elements > 0, collector.depth == 0 else {
            throw Defect(path: path, reason: "\(name) is not well-formed XML: the document is cut short")
        }
        return collector.files
    }
}
