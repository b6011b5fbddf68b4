import ImageBuilderKit

#if canImport(Glibc)
    import Glibc
#endif

/// What tests that boot a real guest start from, made once per machine and cached by content
/// under `.build-tools`: the Debian 12 base disk (hack/debian-base-disk.sh) and what a qemu build
/// of the node fetches, served on loopback (hack/qemu-build-artifacts.sh).
package enum GuestImages {
    /// Whether this machine can make the base disk and boot a guest (root for debootstrap, qemu,
    /// xorriso for the seed), plus `tools`; under CI the suites run regardless (a skip fails CI).
    package static func canBoot(with tools: [String] = []) -> Bool {
        (getuid() == 0 && FileReader.isExecutable("/usr/sbin/debootstrap")
            && (["qemu-system-x86_64", "xorriso"] + tools).allSatisfy(Fixtures.hasTool)) || Fixtures.isCI
    }

    /// The base disk's folder: `disk.raw`, `vmlinuz`, `initrd.img`.
    package static let debianBaseDisk = Task<String, any Error> { try await run("debian-base-disk.sh", "base-disk") }
    /// The artifacts' folder: `debian/`, `containerd/`, `runc/`, `kubernetes/`, `VERSIONS`.
    package static let qemuArtifacts = Task<String, any Error> { try await run("qemu-build-artifacts.sh", "qemu-artifacts") }

    static func run(_ script: String, _ cache: String) async throws -> String {
        let made = try await ProcessCapture.run(
            "/bin/sh", [Fixtures.repoRoot + "/hack/" + script, Fixtures.repoRoot + "/.build-tools/" + cache],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
        guard made.status == 0 else { throw NotMade(script: script, stderr: made.stderr) }
        return made.stdout.trimmingCharacters()
    }

    package struct NotMade: Error, CustomStringConvertible {
        let script: String
        let stderr: String
        package var description: String { "hack/\(script) failed: \(stderr)" }
    }
}
