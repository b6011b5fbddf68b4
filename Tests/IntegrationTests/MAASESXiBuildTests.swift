import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `make build-maas-esxi` / `validate-maas-esxi` for real (issue 14, acceptance 1, 2, 5): packer
/// 1.6.6's qemu builder boots the installer's stand-in, which reads the kickstart stick and the
/// typed boot options, writes a GPT disk and powers off; then partition 1 gets the curtin hooks.
@Suite(.enabled(if: (ESXiStandIn.available && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI, "needs make deps-ova test-deps"))
struct MAASESXiBuildTests {
    static let password = "Esxi-" + UUID().uuidString.prefix(12) + "-x7"

    static func make(_ root: String, _ target: String, _ extra: [String: String]) async throws -> Captured {
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "IB_BIN": Fixtures.binary, "HOME": root]
        // Faster than packer's 100 ms a key; slow enough for isolinux's prompt on a loaded machine.
        env["PACKER_KEY_INTERVAL"] = "30ms"
        env.merge(extra) { $1 }
        return try await ProcessCapture.run("/usr/bin/make", ["-s", "-C", root, target], environment: env)
    }

    static func environment(root: String, release: String? = nil) async throws -> [String: String] {
        let iso = try await ESXiStandIn.iso()
        var env = [
            "ESXI_ISO": iso, "ESXI_ISO_CHECKSUM": try ESXiStandIn.checksum(iso), "ESXI_ROOT_PASSWORD": password,
            "PACKER_VAR_FILES": try ESXiStandIn.smallVarFile(in: root),
        ]
        env["ESXI_RELEASE"] = release
        return env
    }

    @Test(.timeLimit(.minutes(10)))
    func validatePassesAndMissingInputsAreExit2BeforePacker() async throws {
        let root = try Fixtures.makeRepoCopy()
        let validate = try await Self.make(root, "validate-maas-esxi", [:])
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        #expect(validate.stdout.contains("the template is valid"))

        let full = try await Self.environment(root: root)
        for (variable, value) in [("ESXI_ISO", ""), ("ESXI_ISO_CHECKSUM", ""), ("ESXI_ROOT_PASSWORD", "")] {
            let run = try await Self.make(root, "build-maas-esxi", full.merging([variable: value]) { $1 })
            #expect(run.status == 2, "\(variable): \(run.stderr)")
            #expect(run.stderr.contains("\(variable) is not set"), "\(run.stderr)")
        }
        for (variable, value, message) in [
            ("ESXI_ROOT_PASSWORD", "password123!", "well-known"), ("ESXI_ROOT_PASSWORD", "short", "password policy"),
            ("ESXI_ISO_CHECKSUM", "none", "a checksum is required"), ("ESXI_ISO", root + "/missing.iso", "no such file"),
        ] {
            let run = try await Self.make(root, "build-maas-esxi", full.merging([variable: value]) { $1 })
            #expect(run.status == 2 && run.stderr.contains(variable) && run.stderr.contains(message), "\(value): \(run.stderr)")
            #expect(!run.stderr.contains("password123!"))
        }
        // Nothing started: no work directory, no output, no log.
        #expect((FileReader.list(root + "/output/.work") ?? []).isEmpty)
        #expect(!FileReader.exists(root + "/output/logs/maas-esxi-8.0.log"))

        let plan = try await ProcessCapture.run(
            Fixtures.binary, ["plan", "build-maas-esxi"], environment: full.merging(["IB_ROOT": root, "PATH": "/usr/bin:/bin"]) { $1 })
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("accelerator:") && plan.stdout.contains("esxi/8.0"), "\(plan.stdout)")
        #expect(!plan.stdout.contains(Self.password))
    }

    @Test(.timeLimit(.minutes(12)))
    func twoStandInBuildsAtOnceLeaveDdGzWithTheHooksOnPartitionOne() async throws {
        let root = try Fixtures.makeRepoCopy()
        let mounts = Fixtures.read("/proc/self/mountinfo")
        let first = try await Self.environment(root: root, release: "8.0")
        let second = try await Self.environment(root: root, release: "7.0")
        async let a = Self.make(root, "build-maas-esxi", first)
        async let b = Self.make(root, "build-maas-esxi", second)
        let (runA, runB) = try await (a, b)
        #expect(Fixtures.read("/proc/self/mountinfo") == mounts, "a build mounted something")
        for (run, release) in [(runA, "8.0"), (runB, "7.0")] {
            #expect(run.status == 0, "\(release): \(run.stdout)\(run.stderr.suffix(3000))")
            let image = root + "/output/esxi-\(release)/esxi-\(release).dd.gz"
            let sums = Fixtures.read(image + ".sha256") ?? ""
            #expect(sums == (try SHA256File.hex(image)) + "  esxi-\(release).dd.gz\n", "\(sums)")
            try await Self.checkPartitionOne(image, root: root)
            let log = Fixtures.read(root + "/output/logs/maas-esxi-\(release).log") ?? ""
            #expect(log.contains("curtin/ written to partition 1 at byte 1048576"), "\(log.suffix(2000))")
            #expect(!log.contains(Self.password) && !run.stderr.contains(Self.password))
            // The installer read KS.CFG from the USB stick (the hash, not the password) and the typed options.
            let serial = Fixtures.read(root + "/output/logs/maas-esxi-\(release).serial.log") ?? ""
            #expect(serial.contains("kickstart found") && serial.contains("rootpw --iscrypted <hash>"), "\(serial.suffix(2000))")
            #expect(serial.contains("boot options typed: ks=usb:/KS.CFG"), "\(serial.suffix(2000))")
        }
        // The work directories are gone after success; nothing of the password is in output/.
        #expect((FileReader.list(root + "/output/.work") ?? []).filter { $0.hasPrefix("maas-esxi-") }.isEmpty)
        // (Searched here, not by grep: the password must not reach any program's argv either.)
        let needle = Data(Self.password.utf8)
        let files = (FileManager.default.enumerator(atPath: root + "/output")?.allObjects as? [String] ?? []).map { root + "/output/" + $0 }
        let holding = files.filter { FileReader.size($0).map { $0 < 64 << 20 } == true && !FileReader.isDirectory($0) }
            .filter { (FileManager.default.contents(atPath: $0) ?? Data()).range(of: needle) != nil }
        #expect(holding.isEmpty, "\(holding)")
    }

    @Test(.timeLimit(.minutes(10)))
    func aSecondRunOfTheSameReleaseIsRefusedAndSIGINTStopsQemu() async throws {
        let root = try Fixtures.makeRepoCopy()
        let env = try await Self.environment(root: root, release: "6.7")
        async let first = Self.make(root, "build-maas-esxi", env)
        let lock = root + "/output/.locks/esxi-6.7.lock"
        var qemu: [String] = []
        for _ in 0..<600 where qemu.isEmpty {
            try await Task.sleep(for: .milliseconds(100))
            qemu = Fixtures.processes(mentioning: root + "/output/.work/maas-esxi-").filter { $0.contains("qemu-system") }
        }
        #expect(!qemu.isEmpty, "qemu never started")
        let second = try await Self.make(root, "build-maas-esxi", env)
        #expect(second.status == 2 && second.stderr.contains("is being written by another run"), "\(second.stderr)")
        let holder = FileLock.holder(lock) ?? ""
        let pid = try #require(Int32(holder.split(separator: ",").first?.split(separator: " ").last ?? ""), "\(holder)")
        #expect(kill(pid, SIGINT) == 0)
        let run = try await first
        #expect(run.status != 0 && run.stderr.contains("interrupted"), "\(run.stderr)")
        try await Task.sleep(for: .seconds(2))
        #expect(Fixtures.processes(mentioning: root + "/output/.work/").isEmpty)
        #expect(!FileReader.exists(root + "/output/esxi-6.7/esxi-6.7.dd.gz"))
    }

    /// Unpacks the image and reads partition 1 with mtools (no mount): the hooks are the
    /// repository's, the archive holds the first-boot scripts.
    static func checkPartitionOne(_ image: String, root: String) async throws {
        let raw = try Fixtures.makeTemporaryDirectory("ib-esxi-raw") + "/disk.raw"
        let unzip = try await ProcessCapture.run("/bin/sh", ["-c", "gzip -dc \"$1\" > \"$2\"", "sh", image, raw])
        #expect(unzip.status == 0, "\(unzip.stderr)")
        let table = try PartitionTable.read(raw)
        #expect(table.scheme == .gpt && table.partition(1)?.offset() == 1_048_576)
        let at = raw + "@@1048576"
        let listing = try await ProcessCapture.run("/usr/bin/mdir", ["-b", "-i", at, "::curtin"], environment: ["MTOOLS_SKIP_CHECK": "1"])
        #expect(listing.stdout.contains("::/curtin/curtin-hooks") && listing.stdout.contains("::/curtin/scripts.tar.xz"), "\(listing.stdout)")
        let hooks = try await ProcessCapture.run("/usr/bin/mtype", ["-i", at, "::curtin/curtin-hooks"], environment: ["MTOOLS_SKIP_CHECK": "1"])
        #expect(hooks.stdout == Fixtures.read(root + "/packer/maas/curtin/curtin-hooks"))
        let archive = raw + ".tar.xz"
        let copied = try await ProcessCapture.run(
            "/usr/bin/mcopy", ["-i", at, "::curtin/scripts.tar.xz", archive], environment: ["MTOOLS_SKIP_CHECK": "1"])
        #expect(copied.status == 0, "\(copied.stderr)")
        let names = try await ProcessCapture.run("/bin/tar", ["-tJvf", archive])
        for name in ["maas/first-boot", "maas/esxi_network.py", "maas/maas_metadata.py", "maas/esxi_storage.py", "maas/esxi_vcenter.py"] {
            #expect(names.stdout.contains(name), "\(name) in \(names.stdout)")
        }
        #expect(names.stdout.contains("root/root") || names.stdout.contains("0/0"), "\(names.stdout)")
    }
}
