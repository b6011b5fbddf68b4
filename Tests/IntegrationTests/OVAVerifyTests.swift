import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import Testing

/// `ova verify` rejects each kind of damage with its own message (issue 6, acceptance 4), and
/// packaging leaves nothing behind when stopped or when the disk fills up (acceptance 5).
@Suite(.enabled(if: (Fixtures.hasTool("qemu-img") && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI, "needs qemu-img"))
struct OVAVerifyTests {
    /// A packaged build in a scratch output directory.
    static func packaged(megabytes: Int = 4) async throws -> (directory: String, ova: String) {
        let out = try Fixtures.makeTemporaryDirectory("ib-verify")
        _ = try await Fixtures.makeRandomVMDK(in: out, name: "d.vmdk", megabytes: megabytes)
        try Fixtures.write(Fixtures.packerManifest([Fixtures.customData()], files: ["d.vmdk"]), to: out + "/packer-manifest.json")
        let run = try await OVAPackageTests.ib(["ova", "package", out], cwd: "/")
        #expect(run.status == 0, "\(run.stderr)")
        return (out, out + "/ubuntu-2404-kube-v1.36.1.ova")
    }

    func verify(_ path: String) async throws -> Captured {
        try await OVAPackageTests.ib(["ova", "verify", path], cwd: "/")
    }

    @Test(.timeLimit(.minutes(10)))
    func eachDamageHasItsOwnMessage() async throws {
        let (out, ova) = try await Self.packaged()
        let base = "ubuntu-2404-kube-v1.36.1"
        #expect(try await verify(ova).status == 0)
        let index = try TarIndex(path: ova)
        let disk = try #require(index.member("\(base)-disk-0.vmdk"))
        var bytes = try Data(contentsOf: URL(fileURLWithPath: ova))

        // A flipped byte inside the disk.
        let flippedPath = out + "/flipped.ova"
        var flipped = bytes
        flipped[Int(disk.offset + disk.size / 2)] ^= 0xff
        try flipped.write(to: URL(fileURLWithPath: flippedPath))
        let flip = try await verify(flippedPath)
        #expect(flip.status == 1 && flip.stderr.contains("digest mismatch for \(base)-disk-0.vmdk"), "\(flip.stderr)")

        // Members in another order, and a manifest line for a file that is not there.
        let parts = try Fixtures.makeTemporaryDirectory("ib-parts")
        #expect(try await ProcessCapture.run("tar", ["-xf", ova, "-C", parts]).status == 0)
        #expect(
            try await ProcessCapture.run(
                "tar",
                [
                    "--format=ustar", "-C", parts, "-cf", out + "/reordered.ova",
                    "\(base).mf", "\(base).ovf", "\(base)-disk-0.vmdk",
                ]
            ).status == 0)
        let reordered = try await verify(out + "/reordered.ova")
        #expect(reordered.status == 1 && reordered.stderr.contains("the first member must be the OVF, found \(base).mf"), "\(reordered.stderr)")
        let manifest = (Fixtures.read(parts + "/\(base).mf") ?? "") + "SHA256(ghost.vmdk)= " + String(repeating: "ab", count: 32) + "\n"
        try Fixtures.write(manifest, to: parts + "/\(base).mf")
        #expect(
            try await ProcessCapture.run(
                "tar",
                [
                    "--format=ustar", "-C", parts, "-cf", out + "/ghost.ova",
                    "\(base).ovf", "\(base).mf", "\(base)-disk-0.vmdk",
                ]
            ).status == 0)
        let ghost = try await verify(out + "/ghost.ova")
        #expect(ghost.status == 1 && ghost.stderr.contains("the manifest lists ghost.vmdk, which is not in the archive"), "\(ghost.stderr)")

        // A descriptor cut short, with a manifest that agrees with it: the XML is incomplete.
        let ovfText = Fixtures.read(parts + "/\(base).ovf") ?? ""
        let cut = String(ovfText.prefix(ovfText.count * 2 / 3))
        try Fixtures.write(cut, to: parts + "/\(base).ovf")
        let cutDigest = try await ProcessCapture.run("sha256sum", [parts + "/\(base).ovf"]).stdout.prefix(64)
        let agreeing = (Fixtures.read(parts + "/\(base).mf") ?? "").split(separator: "\n")
            .filter { !$0.contains("ghost.vmdk") }
            .map { $0.hasPrefix("SHA256(\(base).ovf)") ? "SHA256(\(base).ovf)= \(cutDigest)" : String($0) }
        try Fixtures.write(agreeing.joined(separator: "\n") + "\n", to: parts + "/\(base).mf")
        #expect(
            try await ProcessCapture.run(
                "tar",
                ["--format=ustar", "-C", parts, "-cf", out + "/cut-ovf.ova", "\(base).ovf", "\(base).mf", "\(base)-disk-0.vmdk"]
            ).status == 0)
        let cutOVF = try await verify(out + "/cut-ovf.ova")
        #expect(cutOVF.status == 1 && cutOVF.stderr.contains("\(base).ovf is not well-formed XML"), "\(cutOVF.stderr)")

        // Cut short.
        bytes = bytes.prefix(Int(disk.offset + disk.size / 2))
        try bytes.write(to: URL(fileURLWithPath: out + "/truncated.ova"))
        let truncated = try await verify(out + "/truncated.ova")
        #expect(truncated.status == 1 && truncated.stderr.contains("archive ends inside \(base)-disk-0.vmdk"), "\(truncated.stderr)")

        // The checksum file beside the OVA disagrees.
        try Fixtures.write(String(repeating: "0", count: 64), to: ova + ".sha256")
        let checksum = try await verify(ova)
        #expect(checksum.status == 1 && checksum.stderr.contains("does not match \(ova).sha256"), "\(checksum.stderr)")

        // No such file: bad input.
        #expect(try await verify(out + "/nothing.ova").status == 2)
    }

    @Test(.timeLimit(.minutes(10)))
    func sigtermAndAFullDiskLeaveNoOVA() async throws {
        // A big disk that is quick to make: a streamOptimized header followed by a sparse tail.
        let out = try Fixtures.makeTemporaryDirectory("ib-interrupt")
        let small = try await Fixtures.makeRandomVMDK(in: out, name: "seed.vmdk", megabytes: 1)
        let made = try await ProcessCapture.run("/bin/sh", ["-c", "cp \"$1\" \"$2\" && truncate -s 1G \"$2\"", "sh", small, out + "/big.vmdk"])
        #expect(made.status == 0)
        try Fixtures.write(Fixtures.packerManifest([Fixtures.customData()], files: ["big.vmdk"]), to: out + "/packer-manifest.json")
        let leftovers = { (FileReader.list(out) ?? []).filter { $0.hasSuffix(".ova") || $0.hasSuffix(".partial") || $0.hasSuffix(".sha256") } }

        let started = try await ProcessCapture.run(
            "/bin/sh",
            [
                "-c",
                "\"$1\" ova package \"$2\" & pid=$!; "
                    + "until [ -e \"$2/ubuntu-2404-kube-v1.36.1.ova.partial\" ]; do sleep 0.02; done; "
                    + "sleep 0.1; ls \"$2\" >&2; kill -TERM $pid; wait $pid",
                "sh", Fixtures.binary, out,
            ], environment: ["IB_ROOT": Fixtures.repoRoot, "PATH": "/usr/bin:/bin"])
        #expect(started.status == 130, "\(started.stderr)")
        #expect(started.stderr.contains("ubuntu-2404-kube-v1.36.1.ova.partial"), "killed while the OVA was being written")
        #expect(leftovers() == [])

        // A write that fails (the file size limit: a real EFBIG from write(2)).
        let full = try await ProcessCapture.run(
            "/bin/sh",
            [
                "-c", "trap '' XFSZ; ulimit -f 8192; exec \"$1\" ova package \"$2\"",
                "sh", Fixtures.binary, out,
            ], environment: ["IB_ROOT": Fixtures.repoRoot, "PATH": "/usr/bin:/bin"])
        #expect(full.status == 1 && full.stderr.contains("write failed: File too large"), "\(full.stderr)")
        #expect(leftovers() == [])
    }
}
