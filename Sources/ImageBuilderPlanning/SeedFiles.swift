public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker

/// The unattended-install files of an OS (`ib_seed_dir` in its OS file): every file of that
/// folder, rendered per build into `<work dir>/cidata/` (a `.tmpl` suffix is dropped, `@NAME@`
/// placeholders filled), then handed to packer as the CD labelled `cd_label`. Files that need
/// the password never land in the source tree.
package struct SeedFiles: Sendable, Codable, Equatable {
    /// The folder in the repo.
    package let source: String
    /// `<work dir>/cidata` (with the run-id placeholder in a plan).
    package let destination: String
    /// Names as written into the destination.
    package let files: [String]
    /// `@SSH_USERNAME@` (`ssh_username`, default `builder`).
    package var username = "builder"
    /// `@HOSTNAME@` (`build_name`, lower case, other characters as `-`).
    package var hostname = ""
    /// Further non-secret placeholders decided at planning (Windows: `DISK_CONFIGURATION`,
    /// `INSTALL_PARTITION`, `IMAGE_INDEX`, `PRODUCT_KEY`, `COMPUTER_NAME`).
    package var values: [String: String] = [:]

    /// The placeholders a seed template may use.
    package static let placeholders = [
        "ENCRYPTED_SSH_PASSWORD", "SSH_USERNAME", "HOSTNAME", "ADMIN_PASSWORD_ENCODED", "AUTOLOGON_PASSWORD_ENCODED", "DISK_CONFIGURATION",
        "INSTALL_PARTITION",
        "IMAGE_INDEX", "PRODUCT_KEY", "COMPUTER_NAME",
    ]

    package static func plan(
        seedDirectory: String, layout: RepoLayout, workDirectory: String, osFile: String,
        username: String = "builder", hostname: String = ""
    ) throws(ConfigError) -> SeedFiles {
        let source = Paths.absolute(seedDirectory, relativeTo: layout.root)
        guard FileReader.isDirectory(source) else {
            throw .fileMissing(path: source, origin: "ib_seed_dir in \(layout.display(osFile))")
        }
        let names = (FileReader.list(source) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        return SeedFiles(
            source: source, destination: workDirectory + "/cidata",
            files: names.map { $0.hasSuffix(".tmpl") ? String($0.dropLast(5)) : $0 },
            username: username, hostname: hostname)
    }

    /// Renders into `destination` (0600 files in a 0700 folder).
    package func render(into destination: String, values: [String: String]) throws {
        try FileWriter.makeDirectory(destination, mode: 0o700)
        for name in (FileReader.list(source) ?? []).filter({ !$0.hasPrefix(".") }).sorted() {
            guard case .contents(let bytes, _) = FileReader.read(source + "/" + name) else {
                throw ConfigError.fileUnreadable(path: source + "/" + name, origin: "the seed folder")
            }
            var text = String(decoding: bytes, as: UTF8.self)
            if name.hasSuffix(".tmpl") {
                for (key, value) in values { text = text.replacingOccurrences(of: "@\(key)@", with: value) }
            }
            try FileWriter.write(text, to: destination + "/" + (name.hasSuffix(".tmpl") ? String(name.dropLast(5)) : name))
        }
    }
}
