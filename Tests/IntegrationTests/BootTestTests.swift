import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 20 (part): `image-builder boot-test` boots a real Debian 12 disk (made by
/// hack/debian-base-disk.sh from Debian's archive, without mounting) under qemu with a NoCloud
/// seed and only a loopback SSH forward, and checks the guest over SSH. The base disk is not a
/// node (no containerd): every other check passes and that one fails, naming what it saw.
@Suite(
    .serialized,
    .enabled(
        if: (getuid() == 0 && FileReader.isExecutable("/usr/sbin/debootstrap") && Fixtures.hasTool("qemu-system-x86_64")
            && Fixtures.hasTool("xorriso") && Fixtures.hasTool("ssh-keygen")) || Fixtures.isCI,
        "needs root, debootstrap, qemu, xorriso and ssh"))
struct BootTestTests {
    /// The base disk, made once per machine (cached by content under .build-tools).
    static let disk = Task<String, any Error> {
        let made = try await ProcessCapture.run(
            "/bin/sh", [Fixtures.repoRoot + "/hack/debian-base-disk.sh", Fixtures.repoRoot + "/.build-tools/base-disk"],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
        guard made.status == 0 else { throw NoBaseDisk(stderr: made.stderr) }
        return made.stdout.trimmingCharacters()
    }

    struct NoBaseDisk: Error { let stderr: String }

    func bootTest(_ folder: String, append: String, timeout: Int) async throws -> Captured {
        let work = try Fixtures.makeTemporaryDirectory("ib-boot-test")
        return try await ProcessCapture.run(
            Fixtures.binary,
            [
                "boot-test", folder + "/disk.raw", "--kernel", folder + "/vmlinuz", "--initrd", folder + "/initrd.img",
                "--append", append, "--ssh-timeout", String(timeout),
            ],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "IB_ROOT": Fixtures.repoRoot], workingDirectory: work)
    }

    @Test(.timeLimit(.minutes(30)))
    func theBaseDiskBootsTakesTheSeedAndIsNotANode() async throws {
        let folder = try await Self.disk.value
        let stamp = { try await ProcessCapture.run("/usr/bin/stat", ["-c", "%Y %s", folder + "/disk.raw"]).stdout }
        let before = try await stamp()
        let run = try await bootTest(folder, append: "root=LABEL=ib-root console=ttyS0 ro", timeout: 1200)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr.suffix(3000))")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        for check in ["ssh", "cloud-init", "hostname", "machine-id", "seed commands", "no build user", "no RHSM registration"] {
            #expect(lines.contains { $0.hasPrefix("PASS  \(check): ") }, "\(check) in \(run.stdout)")
        }
        #expect(lines.contains { $0.hasPrefix("FAIL  containerd: systemd says") }, "\(run.stdout)")
        #expect(lines.contains { $0.hasPrefix("timings (") && $0.contains("boot to SSH") }, "\(run.stdout)")
        #expect(run.stderr.contains("SSH on 127.0.0.1:"))
        // The disk was not written (the guest wrote to an overlay), and no qemu is left.
        #expect(try await stamp() == before)
        #expect(Fixtures.processes(mentioning: folder).isEmpty)
    }

    @Test(.timeLimit(.minutes(10)))
    func aGuestThatNeverAnswersFailsWithinItsLimitWithTheConsole() async throws {
        let folder = try await Self.disk.value
        let clock = ContinuousClock()
        let start = clock.now
        let run = try await bootTest(folder, append: "root=LABEL=ib-no-such-root rootdelay=1 console=ttyS0 ro", timeout: 90)
        #expect(run.status == 1)
        #expect(clock.now - start < .seconds(200), "stopped at its limit")
        #expect(run.stderr.contains("did not answer SSH within 90 s") || run.stderr.contains("stopped before it answered SSH"), "\(run.stderr)")
        #expect(run.stderr.contains("  | "), "the console's last lines: \(run.stderr)")
        #expect(Fixtures.processes(mentioning: folder).isEmpty)
    }

    @Test func aFileThatIsNotADiskIsExit2NamingIt() async throws {
        let work = try Fixtures.makeTemporaryDirectory("ib-boot-test")
        try Fixtures.write("not a disk", to: work + "/notes.txt")
        let run = try await ProcessCapture.run(
            Fixtures.binary, ["boot-test", work + "/notes.txt"],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "IB_ROOT": Fixtures.repoRoot],
            workingDirectory: work)
        #expect(run.status == 2 && run.stderr.contains(work + "/notes.txt"), "\(run.stderr)")
    }
}
