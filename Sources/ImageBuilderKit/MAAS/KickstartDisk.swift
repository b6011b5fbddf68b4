public import ImageBuilderBasics

#if canImport(Glibc)
    import Glibc
#endif

/// The kickstart's USB stick, made per build in its work directory: KS.CFG rendered from the
/// repository's template with the root password's SHA-512 crypt hash (the password itself is
/// never written), on a FAT16 partition of an 8 MiB MBR image made without root (the MBR
/// written here, the file system by mtools at the partition's offset). qemu attaches it as a
/// usb-storage device; ESXi's installer reads `ks=usb:/KS.CFG`.
package enum KickstartDisk {
    /// The placeholder in `packer/maas/esxi-ks.cfg.tmpl`.
    package static let placeholder = "@ROOT_PASSWORD_CRYPT@"
    static let firstSector: UInt32 = 2048
    static let sectors: UInt32 = 14336

    /// The kickstart's text with the hash in place; refuses a template without the placeholder.
    package static func render(template: String, hash: Secret) throws -> String {
        guard case .contents(let bytes, _) = FileReader.read(template) else {
            throw FileError.cannotPrepare(path: template, reason: "the kickstart template cannot be read")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.contains(placeholder) else {
            throw FileError.cannotPrepare(path: template, reason: "no \(placeholder) placeholder for the root password")
        }
        return text.replacingOccurrences(of: placeholder, with: hash.value)
    }

    /// Writes `image` holding `kickstart` as KS.CFG.
    package static func make(image: String, kickstart: String, workDirectory: String, tools: ESXiTools) async throws {
        try writeMBR(image)
        let offset = "\(image)@@\(UInt64(firstSector) * 512)"
        try await tools.run("mformat", ["-i", offset, "-T", "\(sectors)", "-h", "64", "-s", "32", "-v", "KS", "::"])
        let file = workDirectory + "/ks.cfg"
        try FileWriter.write(kickstart, to: file)
        defer { _ = try? FileWriter.remove(file) }
        try await tools.run("mcopy", ["-i", offset, file, "::KS.CFG"])
    }

    /// An 8 MiB file: an MBR whose one partition (type 0x0e, FAT16 LBA) starts at 1 MiB.
    static func writeMBR(_ path: String) throws {
        var sector = [UInt8](repeating: 0, count: 512)
        let entry = 446
        sector[entry] = 0x00
        sector[(entry + 1)...(entry + 3)] = [0xFE, 0xFF, 0xFF]
        sector[entry + 4] = 0x0E
        sector[(entry + 5)...(entry + 7)] = [0xFE, 0xFF, 0xFF]
        for i in 0..<4 {
            sector[entry + 8 + i] = UInt8(truncatingIfNeeded: firstSector >> (8 * UInt32(i)))
            sector[entry + 12 + i] = UInt8(truncatingIfNeeded: sectors >> (8 * UInt32(i)))
        }
        sector[510] = 0x55
        sector[511] = 0xAA
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileError.cannotPrepare(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        let total = off_t(firstSector + sectors) * 512
        guard sector.withUnsafeBytes({ write(fd, $0.baseAddress, 512) }) == 512, ftruncate(fd, total) == 0 else {
            throw FileError.cannotPrepare(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
