import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 20: `make demo-real` and `make build-node-ova-qemu-debian-12` build the Debian node for
/// real on this host:
/// packer's qemu builder boots the base disk (TCG here), the roles run over SSH on a loopback
/// forward with everything they fetch served on loopback (Debian's packages, containerd and runc
/// from Debian, Kubernetes stand-ins), the disk is packaged into an OVA, and the boot test brings
/// that OVA up as a node; the demo then imports it into the simulator.
@Suite(
    .serialized,
    .enabled(
        if: GuestImages.canBoot(with: ["packer", "ansible-playbook", "make"]),
        "needs root, debootstrap, qemu, packer, ansible, xorriso and make"))
struct QemuBuildTests {
    static let target = "build-node-ova-qemu-debian-12"

    /// A repository copy sharing this checkout's caches (the base disk and the guest's files,
    /// made once per machine), so `make` finds them as a fresh clone that made them would.
    static func prepare() async throws -> String {
        _ = try await GuestImages.debianBaseDisk.value
        _ = try await GuestImages.qemuArtifacts.value
        let root = try Fixtures.makeRepoCopy()
        try FileManager.default.createSymbolicLink(atPath: root + "/.build-tools", withDestinationPath: Fixtures.repoRoot + "/.build-tools")
        return root
    }

    static func make(_ arguments: [String], root: String) async throws -> Captured {
        try await ProcessCapture.run(
            "make", ["--no-print-directory", "-C", root] + arguments,
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": root, "IB_BIN": Fixtures.binary])
    }

    @Test(.timeLimit(.minutes(60)))
    func theDebianNodeIsBuiltBootTestedAndImportedByDemoReal() async throws {
        let root = try await Self.prepare()
        // `make demo-real`: `make build-node-ova-qemu-debian-12` as it is (acceptance 1: its
        // prerequisite makes the var file, hack/qemu-local.sh), `make boot-test-…`, the import.
        let run = try await Self.make(["demo-real"], root: root)
        let log = Fixtures.read(root + "/output/logs/node-ova-qemu-debian-12.log") ?? ""
        #expect(run.status == 0, "\(run.stdout.suffix(3000))\(run.stderr.suffix(2000))\(log.suffix(4000))")
        #expect(run.stdout.contains("make build-node-ova-qemu-debian-12") && run.stdout.contains("make boot-test-node-ova-qemu-debian-12"))
        let vars = root + "/output/qemu-local/debian-12.json"
        let plan = try await ProcessCapture.run(
            Fixtures.binary, ["explain", Self.target, "ansible_build_vars", "--var-file", "debian-12=" + vars],
            environment: ["PATH": "/usr/bin:/bin", "IB_ROOT": root], workingDirectory: root)
        #expect(plan.stdout.contains("apt_build_repo=http://10.0.2.100/debian/"), "\(plan.stdout)\(plan.stderr)")

        // The roles ran over SSH against the booted guest: ansible's own recaps, none failed.
        let recaps = log.split(separator: "\n").filter { $0.contains("default") && $0.contains("unreachable=") }
        #expect(recaps.count == 2 && recaps.allSatisfy { $0.contains("failed=0") && $0.contains("unreachable=0") }, "\(recaps)")
        #expect(log.contains("TASK [containerd : Unpack containerd]") && log.contains("TASK [sysprep : Empty the machine id]"))
        // Everything the guest fetched, the build served on loopback (its log has each request).
        for path in ["/debian/./Packages", "/containerd/containerd-", "/runc/runc.amd64", "/kubernetes/v1.36.1/bin/linux/amd64/kubelet"] {
            #expect(log.contains("image-builder: guest files: GET " + path), "\(path) in \(log.suffix(3000))")
        }
        // qemu's user network is restricted: nothing but the forwards.
        let template = Fixtures.read(root + "/packer/ova/packer-node.json") ?? ""
        #expect(template.contains("\"user,id=user.0,restrict=on,hostfwd=tcp:127.0.0.1:{{ .SSHHostPort }}-:22"))

        // The OVA: verified, its OVF describing the disk it carries (4096 MiB, the VMDK's).
        let output = root + "/output/debian-12-kube-v1.36.1"
        let ova = output + "/debian-12-kube-v1.36.1.ova"
        #expect(try OVAVerifier.verify(ova).checksumFile)
        let index = try TarIndex(path: ova)
        let disk = try #require(index.members.first { $0.name.hasSuffix(".vmdk") })
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: ova))
        try handle.seek(toOffset: UInt64(disk.offset))
        let header = [UInt8](try handle.read(upToCount: 512) ?? Data())
        try handle.close()
        #expect(VMDKHeader.capacityBytes(header) == 4096 << 20)
        let ovf = Fixtures.read(output + "/debian-12-kube-v1.36.1.ovf") ?? ""
        #expect(ovf.contains("ovf:capacity=\"4096\" ovf:capacityAllocationUnits=\"byte * 2^20\""), "\(ovf)")
        #expect(ovf.contains("(the Kubernetes binaries are test stand-ins, not Kubernetes)"), "\(ovf)")

        // The boot test brought the OVA up as a node: every check passed (make's target names
        // the build; the CLI found its output folder).
        let lines = run.stdout.split(separator: "\n").map(String.init)
        for check in ["ssh", "cloud-init", "hostname", "machine-id", "seed commands", "containerd", "no build user", "no RHSM registration"] {
            #expect(lines.contains { $0.hasPrefix("PASS  \(check): ") }, "\(check) in \(run.stdout.suffix(3000))")
        }
        // Then the OVA went into the simulator like any other (ImportVApp + NFC), and the demo
        // said how long each stage took.
        #expect(lines.contains { $0.hasPrefix("demo-real-node") }, "\(run.stdout.suffix(2000))")
        #expect(lines.contains { $0.hasPrefix("==> demo-real: base disk and files ") && $0.hasSuffix(" s in all") }, "\(run.stdout.suffix(500))")
        #expect(Fixtures.processes(mentioning: root).isEmpty)
    }

    /// Acceptance 2: sysprep's machine-id reset disabled through a variable makes an image every
    /// clone of which would share one machine-id: its boot test fails, naming the check.
    @Test(.timeLimit(.minutes(60)))
    func aBrokenImageFailsTheBootTestNamingTheMachineIDCheck() async throws {
        let root = try await Self.prepare()
        let broken = root + "/broken.json"
        try Fixtures.write("{\"ansible_user_vars\": \"sysprep_reset_machine_id=false\"}", to: broken)
        let run = try await Self.make([Self.target, "PACKER_VAR_FILES=" + broken], root: root)
        let log = Fixtures.read(root + "/output/logs/node-ova-qemu-debian-12.log") ?? ""
        #expect(run.status == 0, "\(run.stderr.suffix(2000))\(log.suffix(4000))")
        let boot = try await Self.make(["boot-test-node-ova-qemu-debian-12", "PACKER_VAR_FILES=" + broken], root: root)
        #expect(boot.status != 0)
        let lines = boot.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("FAIL  machine-id: ") && $0.contains("came with the image") }, "\(boot.stdout)")
        for check in ["ssh", "cloud-init", "hostname", "containerd", "no build user"] {
            #expect(lines.contains { $0.hasPrefix("PASS  \(check): ") }, "\(check) in \(boot.stdout)")
        }
        #expect(Fixtures.processes(mentioning: root).isEmpty)
    }
}
