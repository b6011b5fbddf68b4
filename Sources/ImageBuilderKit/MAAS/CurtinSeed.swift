public import ImageBuilderBasics

/// What makes the ESXi disk deployable by MAAS: curtin finds the first partition holding a
/// `curtin/` folder and runs `curtin/curtin-hooks` from it, which unpacks `scripts.tar.xz` for
/// ESXi's first boot (other-systems.md §1.3). Written into partition 1 (ESXi's FAT bootloader
/// partition) with mtools at its byte offset: no root, no loop or nbd device, nothing mounted.
package struct CurtinSeed: Sendable {
    /// `packer/maas/curtin`: each file goes to `curtin/` on partition 1.
    package let curtinDirectory: String
    /// `packer/maas/first-boot`: packed as `maas/` into `curtin/scripts.tar.xz`.
    package let firstBootDirectory: String
    let tools: ESXiTools

    package init(curtinDirectory: String, firstBootDirectory: String, tools: ESXiTools) {
        self.curtinDirectory = curtinDirectory
        self.firstBootDirectory = firstBootDirectory
        self.tools = tools
    }

    /// Packs the first-boot scripts reproducibly (sorted, owner root, fixed times).
    package func packScripts(into archive: String) async throws {
        try await tools.run(
            "tar",
            [
                "--create", "--xz", "--file", archive, "--owner=0", "--group=0", "--numeric-owner", "--sort=name", "--mtime=@0",
                "--mode=u+rwX,go+rX,go-w", "--exclude=__pycache__", "--exclude=*.pyc", "--transform=s,^first-boot,maas,",
                "--directory", Paths.dirname(firstBootDirectory), Paths.basename(firstBootDirectory),
            ])
    }

    /// Writes `curtin/` (the hooks and `archive`) onto partition 1 of `disk`; returns its offset.
    @discardableResult
    package func write(into disk: String, archive: String) async throws -> UInt64 {
        let table: PartitionTable
        do { table = try PartitionTable.read(disk) } catch { throw ESXiBuildError.noBootPartition(disk: disk, reason: "\(error)") }
        guard let first = table.partition(1) else {
            throw ESXiBuildError.noBootPartition(disk: disk, reason: "the \(table.scheme.rawValue) table has no partition 1")
        }
        let image = "\(disk)@@\(first.offset())"
        try await tools.run("mmd", ["-i", image, "::curtin"])
        let files = (FileReader.list(curtinDirectory) ?? []).filter { !$0.hasPrefix(".") }.sorted().map { curtinDirectory + "/" + $0 }
        try await tools.run("mcopy", ["-o", "-i", image] + files + [archive, "::curtin/"])
        return first.offset()
    }
}
