public import ImageBuilderBasics

/// The NoCloud seed a boot test hands the guest: a key made for this test only, a hostname, and
/// a marker command. Written into the test's private folder; the private key never leaves it.
package struct BootTestSeed: Sendable {
    package let folder: String
    package let hostname: String
    package let marker: String
    package let user = "boot-test"

    package var keyFile: String { folder + "/key" }
    package var iso: String { folder + "/seed.iso" }

    package init(folder: String, testID: String) {
        self.folder = folder
        hostname = "boot-test-" + testID.suffix(8).lowercased().filter { $0.isLetter || $0.isNumber }
        marker = "image-builder-boot-test-" + testID
    }

    /// The key pair (ssh-keygen) and the ISO labelled `cidata` (xorriso).
    package func write(tools: BootTestTools) async throws {
        _ = try await tools.require("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", user, "-f", keyFile])
        guard let publicKey = BootTestFiles.read(keyFile + ".pub") else {
            throw BootTestError.input(path: keyFile + ".pub", reason: "ssh-keygen left no public key")
        }
        let seed = folder + "/seed"
        try FileWriter.makeDirectory(seed, mode: 0o700)
        try FileWriter.write(
            """
            #cloud-config
            hostname: \(hostname)
            manage_etc_hosts: true
            users:
              - name: \(user)
                sudo: "ALL=(ALL) NOPASSWD:ALL"
                shell: /bin/sh
                ssh_authorized_keys:
                  - \(publicKey)
            runcmd:
              - [sh, -c, "echo \(marker) > /run/image-builder-boot-test"]

            """, to: seed + "/user-data")
        try FileWriter.write("instance-id: \(hostname)\nlocal-hostname: \(hostname)\n", to: seed + "/meta-data")
        _ = try await tools.require("xorriso", ["-as", "mkisofs", "-quiet", "-o", iso, "-V", "cidata", "-J", "-r", seed])
    }
}

/// Small reads of files the test itself wrote.
enum BootTestFiles {
    static func read(_ path: String) -> String? {
        guard case .contents(let bytes, _) = FileReader.read(path, limit: 64 << 10) else { return nil }
        return String(decoding: bytes, as: UTF8.self).trimmingCharacters()
    }
}
