/// Names and byte layout of one OVA: OVF, .mf, then the disks — basenames only, each disk
/// behind a PAX `size` header. The OVF's space is reserved from its largest possible text, so
/// the layout is known before any disk byte is (the streaming path), and both paths give the
/// same bytes: the OVF is padded with trailing spaces to its reserved length.
public struct OVALayout: Sendable {
    /// `<build_name>-kube-<semver>`.
    public let baseName: String
    public let directory: String
    /// The build timestamp: every member's mtime.
    public let mtime: Int64
    /// The descriptor; disk sizes are filled in when known.
    public let descriptor: OVFDescriptor
    /// The manifest's place: right after the OVF (the default, what every importer takes), or
    /// at the end of the archive, after the disks (OVF 2.1 §5.3 allows both): then the disks'
    /// digests need not be known before they are written, and packaging reads each byte once.
    public let manifestAtEnd: Bool

    public init(baseName: String, directory: String, mtime: Int64, descriptor: OVFDescriptor, manifestAtEnd: Bool = false) {
        self.baseName = baseName
        self.directory = directory
        self.mtime = mtime
        self.descriptor = descriptor
        self.manifestAtEnd = manifestAtEnd
    }

    public var ovfName: String { baseName + ".ovf" }
    public var manifestName: String { baseName + ".mf" }
    public var ovaName: String { baseName + ".ova" }
    public var checksumName: String { baseName + ".ova.sha256" }
    public var diskNames: [String] { descriptor.disks.map(\.fileName) }
    public func path(_ name: String) -> String { directory + "/" + name }

    /// Room for the OVF: its text with the widest possible sizes, in whole blocks.
    public var reservedOVF: Int {
        var widest = descriptor
        for index in widest.disks.indices {
            widest.disks[index].size = Int64.max
            widest.disks[index].populatedSize = Int64.max
            // The widest capacity: 19 digits in bytes (a disk's is known only once it is read).
            widest.disks[index].capacityBytes = Int64.max
        }
        let length = widest.xml().utf8.count
        return (length + TarHeader.block - 1) / TarHeader.block * TarHeader.block
    }

    /// This layout with each disk's capacity as its VMDK header declares it (nil: unchanged).
    public func describing(capacities: [Int64?]) -> OVALayout {
        var described = descriptor
        for (index, capacity) in capacities.enumerated() where index < described.disks.count {
            if let capacity { described.disks[index].capacityBytes = capacity }
        }
        return OVALayout(baseName: baseName, directory: directory, mtime: mtime, descriptor: described, manifestAtEnd: manifestAtEnd)
    }

    /// The OVF text for these disk sizes, padded to `reservedOVF`.
    public func ovf(sizes: [Int64]) -> [UInt8] {
        var filled = descriptor
        for (index, size) in sizes.enumerated() where index < filled.disks.count {
            filled.disks[index].size = size
            filled.disks[index].populatedSize = size
        }
        var bytes = Array(filled.xml().utf8)
        bytes += [UInt8](repeating: UInt8(ascii: " "), count: max(0, reservedOVF - bytes.count))
        return bytes
    }

    /// The manifest: the OVF, then each disk.
    public func manifest(ovfDigest: String, diskDigests: [String]) -> [UInt8] {
        let lines = [(ovfName, ovfDigest)] + zip(diskNames, diskDigests).map { ($0, $1) }
        return Array(lines.map { Manifest.Entry(file: $0.0, sha256: $0.1).line }.joined().utf8)
    }

    var manifestLength: Int { Manifest.lineLength(ovfName) + diskNames.reduce(0) { $0 + Manifest.lineLength($1) } }

    /// Offsets: OVF header at 0; then the manifest; then per disk the PAX header, its ustar
    /// header and its data.
    var manifestHeader: Int64 { Int64(TarHeader.block + reservedOVF) }
    var firstDisk: Int64 {
        if manifestAtEnd { return manifestHeader }
        return manifestHeader + Int64(TarHeader.block + manifestLength + TarHeader.padding(Int64(manifestLength)))
    }

    /// Where disk `index`'s PAX header starts, given the sizes of the disks before it.
    func diskStart(_ index: Int, sizes: [Int64]) -> Int64 {
        var offset = firstDisk
        for size in sizes.prefix(index) { offset += Int64(3 * TarHeader.block) + size + Int64(TarHeader.padding(size)) }
        return offset
    }

    /// The headers before disk `index`'s data: PAX header and ustar header (1536 bytes).
    func diskHeaders(_ index: Int, size: Int64) -> [UInt8] {
        TarHeader.paxSize(size, mtime: mtime) + TarHeader.ustar(name: diskNames[index], size: size, mtime: mtime)
    }

    /// The OVF member and (unless it goes at the end) the manifest member, headers included, up
    /// to the first disk.
    func head(ovf: [UInt8], manifest: [UInt8]) -> [UInt8] {
        var bytes = TarHeader.ustar(name: ovfName, size: Int64(ovf.count), mtime: mtime) + ovf
        if !manifestAtEnd { bytes += manifestMember(manifest) }
        return bytes
    }

    /// The manifest member, header and padding included.
    func manifestMember(_ manifest: [UInt8]) -> [UInt8] {
        TarHeader.ustar(name: manifestName, size: Int64(manifest.count), mtime: mtime) + manifest
            + [UInt8](repeating: 0, count: TarHeader.padding(Int64(manifest.count)))
    }
}

extension Manifest.Entry {
    /// `SHA256(<file>)= <hex>\n`.
    var line: String { "SHA256(\(file))= \(sha256)\n" }
}

extension Manifest {
    static func lineLength(_ file: String) -> Int { "SHA256(\(file))= \n".utf8.count + 64 }
}
