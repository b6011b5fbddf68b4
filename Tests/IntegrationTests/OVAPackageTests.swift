import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import Testing
import VSphereKit

/// `image-builder ova package` on a real streamOptimized VMDK made by qemu-img from random data:
/// every field checked by parsing the OVF and the tar (issue 6, acceptance 1–3).
@Suite(.enabled(if: (Fixtures.hasTool("qemu-img") && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI, "needs qemu-img"))
struct OVAPackageTests {
    static func ib(_ args: [String], env: [String: String] = [:], cwd: String) async throws -> Captured {
        try await ProcessCapture.run(
            Fixtures.binary, args, environment: ["IB_ROOT": Fixtures.repoRoot, "PATH": "/usr/bin:/bin"].merging(env) { $1 },
            workingDirectory: cwd)
    }

    static func sha256(_ path: String) async throws -> String {
        String(try await ProcessCapture.run("sha256sum", [path]).stdout.prefix(64))
    }

    @Test(.timeLimit(.minutes(10)))
    func everyFieldComesFromTheLastBuildAndValuesAreEscaped() async throws {
        let out = try Fixtures.makeTemporaryDirectory("ib-pack")
        let disk = try await Fixtures.makeRandomVMDK(in: out, name: "exported.vmdk")
        // Two builds: the last one counts (packer appends on a rebuild).
        let stale = Fixtures.customData(["cpu": "2", "memory": "2048"])
        let last = Fixtures.customData([
            "cpu": "6", "cpu_cores": "3", "memory": "6144", "firmware": "efi", "disk_controller_type": "nvme",
            "network_card": "e1000e", "disk_size": "30720", "vmx_version": "19", "build_timestamp": "1795300000",
        ])
        try Fixtures.write(Fixtures.packerManifest([stale, last]), to: out + "/packer-manifest.json")
        let tricky = "a&b<c>d\"e'f"
        try Fixtures.write("{\"TRICKY\": \"a&b<c>d\\\"e'f\", \"SECOND\": \"plain\"}", to: out + "/props.json")
        try Fixtures.write("License terms & <conditions>\n", to: out + "/eula.txt")

        let run = try await Self.ib(
            ["ova", "package", ".", "--vmdk", "exported.vmdk", "--eula", "eula.txt"],
            env: ["OVF_CUSTOM_PROPERTIES": "props.json"], cwd: out)
        #expect(run.status == 0, "\(run.stderr)")
        let base = "ubuntu-2404-kube-v1.36.1"
        let ova = out + "/\(base).ova"

        // The tar: OVF, manifest, disk, basenames, deterministic metadata.
        let index = try TarIndex(path: ova)
        #expect(index.members.map(\.name) == ["\(base).ovf", "\(base).mf", "\(base)-disk-0.vmdk"])
        let listing = try await ProcessCapture.run(
            "tar", ["--numeric-owner", "--full-time", "-tvf", ova], environment: ["TZ": "UTC", "PATH": "/usr/bin:/bin"])
        let rows = listing.stdout.split(separator: "\n")
        #expect(rows.count == 3 && rows.allSatisfy { $0.hasPrefix("-rw-r--r-- 0/0") }, "\(listing.stdout)")
        #expect(rows.allSatisfy { $0.contains("2026-11-21 22:26:40") }, "\(listing.stdout)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: ova))
        #expect(bytes.count % 10240 == 0)
        let diskMember = try #require(index.member("\(base)-disk-0.vmdk"))
        #expect(bytes[Int(diskMember.offset)..<Int(diskMember.offset + diskMember.size)] == (try Data(contentsOf: URL(fileURLWithPath: disk))))

        // The OVF, parsed.
        let ovfMember = try #require(index.member("\(base).ovf"))
        let ovfBytes = [UInt8](bytes[Int(ovfMember.offset)..<Int(ovfMember.offset + ovfMember.size)])
        #expect(ovfBytes == [UInt8](try Data(contentsOf: URL(fileURLWithPath: out + "/\(base).ovf"))))
        let envelope = try XMLTree.parse(ovfBytes)
        let file = try #require(envelope[path: "References", "File"])
        #expect(file.attributes["ovf:href"] == "\(base)-disk-0.vmdk" && file.attributes["ovf:size"] == String(diskMember.size))
        let diskInfo = try #require(envelope[path: "DiskSection", "Disk"])
        // The disk that is packaged (8 MiB), not the disk_size asked for (30720).
        #expect(diskInfo.attributes["ovf:capacity"] == "8" && diskInfo.attributes["ovf:capacityAllocationUnits"] == "byte * 2^20")
        #expect(diskInfo.attributes["ovf:populatedSize"] == String(diskMember.size))
        #expect(diskInfo.attributes["ovf:format"]?.hasSuffix("#streamOptimized") == true)
        let system = try #require(envelope.child("VirtualSystem"))
        #expect(system.attributes["ovf:id"] == "ubuntu-2404-kube-v1.36.1")
        #expect(system.child("OperatingSystemSection")?.attributes["vmw:osType"] == "ubuntu64Guest")
        #expect(system.child("OperatingSystemSection")?.attributes["ovf:id"] == "94")
        let hardware = try #require(system.child("VirtualHardwareSection"))
        #expect(hardware[path: "System", "VirtualSystemType"]?.text == "vmx-19")
        let items = hardware.children("Item")
        func item(_ type: String) -> XMLNode? { items.first { $0.child("ResourceType")?.text == type } }
        #expect(item("3")?.child("VirtualQuantity")?.text == "6" && item("3")?.child("CoresPerSocket")?.text == "3")
        #expect(item("4")?.child("VirtualQuantity")?.text == "6144")
        #expect(item("20")?.child("ResourceSubType")?.text == "vmware.nvme.controller")
        #expect(item("10")?.child("ResourceSubType")?.text == "E1000e" && item("10")?.child("Connection")?.text == "nic0")
        let config = Dictionary(
            uniqueKeysWithValues: hardware.children("Config").map { ($0.attributes["vmw:key"] ?? "", $0.attributes["vmw:value"] ?? "") })
        #expect(config["firmware"] == "efi")
        #expect(system.child("BootOrderSection") == nil, "EFI images carry no boot order section (#619)")
        #expect(system[path: "EulaSection", "License"]?.text == "License terms & <conditions>\n")
        let product = try #require(system.child("ProductSection"))
        #expect(product.child("Product")?.text == "Ubuntu 24.04 and Kubernetes v1.36.1" && product.child("Version")?.text == "kube-v1.36.1")
        let properties = product.children("Property").map { ($0.attributes["ovf:key"] ?? "", $0.attributes["ovf:value"] ?? "") }
        #expect(
            properties.map(\.0) == [
                "BUILD_TIMESTAMP", "BUILD_DATE", "IMAGE_BUILDER_VERSION", "DISTRO_NAME", "DISTRO_VERSION", "DISTRO_ARCH",
                "CNI_VERSION", "CONTAINERD_VERSION", "KUBERNETES_SEMVER", "KUBERNETES_SOURCE_TYPE", "TRICKY", "SECOND",
            ])
        #expect(properties.first?.1 == "1795300000" && properties.first { $0.0 == "TRICKY" }?.1 == tricky)

        // Manifest and checksum, against sha256sum.
        let manifest = Fixtures.read(out + "/\(base).mf") ?? ""
        #expect(
            manifest
                == "SHA256(\(base).ovf)= \(try await Self.sha256(out + "/\(base).ovf"))\nSHA256(\(base)-disk-0.vmdk)= \(try await Self.sha256(disk))\n"
        )
        #expect(Fixtures.read(out + "/\(base).ova.sha256") == (try await Self.sha256(ova)))
        #expect(FileReader.list(out)?.contains { $0.hasSuffix(".partial") } == false)

        // Twice: the same bytes.
        let first = try await Self.sha256(ova)
        #expect(
            try await Self.ib(
                ["ova", "package", ".", "--vmdk", "exported.vmdk", "--eula", "eula.txt"],
                env: ["OVF_CUSTOM_PROPERTIES": "props.json"], cwd: out
            ).status == 0)
        #expect(try await Self.sha256(ova) == first)
        // The streaming path (the disk from standard input, written once): the same bytes.
        let streamed = try await ProcessCapture.run(
            "/bin/sh", ["-c", "exec \"$1\" ova package . --vmdk - --eula eula.txt < exported.vmdk", "sh", Fixtures.binary],
            environment: ["IB_ROOT": Fixtures.repoRoot, "PATH": "/usr/bin:/bin", "OVF_CUSTOM_PROPERTIES": "props.json"],
            workingDirectory: out)
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(try await Self.sha256(ova) == first)
        let verify = try await Self.ib(["ova", "verify", ova], cwd: out)
        #expect(verify.status == 0 && verify.stdout.contains(": ok ("), "\(verify.stderr)")
    }

    @Test(.timeLimit(.minutes(10)))
    func aReferenceManifestFallsBackAndALocalDiskIsStreamOptimized() async throws {
        let out = try Fixtures.makeTemporaryDirectory("ib-pack-ref")
        // A monolithicSparse disk, as VMware's local builders leave it, named by the manifest.
        let made = try await ProcessCapture.run(
            "/bin/sh",
            ["-c", "cd \"$1\" && head -c 4M /dev/urandom > r.raw && qemu-img convert -f raw -O vmdk r.raw local.vmdk && rm r.raw", "sh", out])
        #expect(made.status == 0)
        var reference = Fixtures.customData()
        for key in ["cpu", "cpu_cores", "memory", "firmware", "disk_controller_type", "network_card", "vmx_version", "vsphere_guest_os_type"] {
            reference[key] = nil
        }
        try Fixtures.write(Fixtures.packerManifest([reference], files: ["local.vmdk"]), to: out + "/packer-manifest.json")
        let run = try await Self.ib(["ova", "package", out], cwd: "/")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("custom_data lacks cpu, cpu_cores, memory, firmware, disk_controller_type, network_card, vmx_version"))
        #expect(run.stderr.contains("stream-optimizing"))
        let ovf = try XMLTree.parse(Array((Fixtures.read(out + "/ubuntu-2404-kube-v1.36.1.ovf") ?? "").utf8))
        let items = ovf[path: "VirtualSystem", "VirtualHardwareSection"]?.children("Item") ?? []
        #expect(items.first { $0.child("ResourceType")?.text == "3" }?.child("VirtualQuantity")?.text == "4")
        #expect(items.first { $0.child("ResourceType")?.text == "4" }?.child("VirtualQuantity")?.text == "8192")
        #expect(ovf[path: "VirtualSystem", "OperatingSystemSection"]?.attributes["vmw:osType"] == "ubuntu64Guest")
        #expect(VMDKHeader.isStreamOptimized(path: out + "/ubuntu-2404-kube-v1.36.1-disk-0.vmdk"))
        #expect(try await Self.ib(["ova", "verify", out + "/ubuntu-2404-kube-v1.36.1.ova"], cwd: "/").status == 0)

        // A required key missing: exit 2 naming the file and the key; nothing written.
        reference["kubernetes_semver"] = nil
        let bad = try Fixtures.makeTemporaryDirectory("ib-pack-bad")
        try Fixtures.write(Fixtures.packerManifest([reference]), to: bad + "/packer-manifest.json")
        let refused = try await Self.ib(["ova", "package", bad], cwd: "/")
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("image-builder: error: \(bad)/packer-manifest.json: custom_data has no 'kubernetes_semver'"))
        #expect(FileReader.list(bad) == ["packer-manifest.json"])
    }
}

extension OVAPackageTests {
    /// IB_OVFTOOL: ovftool (a recording stand-in at the seam: VMware's tool is not installable
    /// here) gets IB_OVFTOOL_ARGS split like a shell splits them; missing, it is exit 3 up front.
    @Test(.timeLimit(.minutes(10)))
    func ovftoolModeSplitsArgumentsLikeAShellAndIsCheckedFirst() async throws {
        let out = try Fixtures.makeTemporaryDirectory("ib-ovftool")
        _ = try await Fixtures.makeRandomVMDK(in: out, name: "d.vmdk", megabytes: 1)
        try Fixtures.write(Fixtures.packerManifest([Fixtures.customData()], files: ["d.vmdk"]), to: out + "/packer-manifest.json")
        let bin = try Fixtures.makeTemporaryDirectory("ib-ovftool-bin")
        try Fixtures.write(
            """
            #!/bin/sh
            for a in "$@"; do printf '[%s]\\n' "$a"; done > "\(out)/ovftool.args"
            for a in "$@"; do last=$a; done
            printf 'an ova from ovftool' > "$last"
            """, to: bin + "/ovftool", mode: 0o755)

        let missing = try await Self.ib(["ova", "package", out], env: ["IB_OVFTOOL": "1"], cwd: "/")
        #expect(missing.status == 3 && missing.stderr.contains("ovftool not found"), "\(missing.stderr)")
        #expect(FileReader.list(out)?.sorted() == ["d.vmdk", "packer-manifest.json"])

        let run = try await Self.ib(
            ["ova", "package", out],
            env: [
                "IB_OVFTOOL": "1", "IB_OVFTOOL_ARGS": "--allowExtraConfig --X:logLevel=\"verbose lots\"", "PATH": bin + ":/usr/bin:/bin",
            ], cwd: "/")
        #expect(run.status == 0, "\(run.stderr)")
        let base = out + "/ubuntu-2404-kube-v1.36.1"
        #expect(Fixtures.read(out + "/ovftool.args") == "[--allowExtraConfig]\n[--X:logLevel=verbose lots]\n[\(base).ovf]\n[\(base).ova]\n")
        #expect(Fixtures.read(base + ".ova.sha256") == (try await Self.sha256(base + ".ova")))
        #expect(!FileReader.exists(base + ".mf"), "ovftool writes its own manifest")
        let ovf = Fixtures.read(base + ".ovf") ?? ""
        #expect(ovf.contains("ovf:href=\"d.vmdk\""), "ovftool reads the disk by its own name")
    }
}
