extension OVAWriter {
    /// The manifest at the end: the OVF needs only the disks' sizes, so the archive is written
    /// front to back while each disk byte, read once, feeds the disk's digest (on the reading
    /// thread, which also writes it) and the OVA's digest (on this one); the manifest follows
    /// the disks. No second pass, no read-back.
    func packageInOnePass(diskFiles: [String]) throws -> Result {
        do {
            let sizes = try diskFiles.map(Self.fileSize)
            let ovf = layout.ovf(sizes: sizes)
            try OutputFile.writeWhole(ovf, to: layout.path(layout.ovfName) + ".partial")
            let file = try OutputFile(path: layout.path(layout.ovaName) + ".partial")
            output = file
            var ovaHasher = SHA256()
            func emit(_ bytes: [UInt8]) throws { try Self.emit(bytes, to: file, hashing: &ovaHasher) }
            try emit(layout.head(ovf: ovf, manifest: []))
            var digests: [String] = []
            for (index, path) in diskFiles.enumerated() {
                try emit(layout.diskHeaders(index, size: sizes[index]))
                let diskHasher = ReadAhead.ThreadHasher()
                try copyDisk(path, size: sizes[index], into: file, ovaHasher: &ovaHasher, diskHasher: diskHasher)
                digests.append(Self.hex(diskHasher.sha.finalize()))
                try emit([UInt8](repeating: 0, count: TarHeader.padding(sizes[index])))
            }
            let manifest = layout.manifest(ovfDigest: Self.hex(SHA256.hash(data: ovf)), diskDigests: digests)
            try OutputFile.writeWhole(manifest, to: layout.path(layout.manifestName) + ".partial")
            try emit(layout.manifestMember(manifest))
            try emit([UInt8](repeating: 0, count: TarHeader.trailer(after: file.length)))
            return try finish(sha256: Self.hex(ovaHasher.finalize()), digests: digests, sizes: sizes)
        } catch {
            abort()
            throw error
        }
    }
}
