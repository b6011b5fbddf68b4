import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// The qemu family's planning (issue 20): the accelerator, chosen and shown; the two sources (the
/// OS's installer ISO, or a base disk with `base_image_url`); bad input refused by name.
@Suite struct QemuPlanningTests {
    static func plan(_ vars: String?, environment: [String: String] = [:], asBuild: Bool = false) throws -> (BuildPlan, ResolvedVariables) {
        let work = try Fixtures.makeTemporaryDirectory()
        var options: [String] = []
        if let vars {
            try Fixtures.write(vars, to: work + "/vars.json")
            options = ["debian-12=vars.json"]
        }
        let env = RunEnvironment(
            variables: ["IB_ROOT": Fixtures.repoRoot, "PACKER_BIN": "/bin/true", "SSH_PASSWORD": "s3cret-ssh"].merging(environment) { $1 },
            workingDirectory: work)
        let planner = try Planner(environment: env, varFileOptions: options)
        planner.refusesMissingSettings = asBuild
        return try planner.plan(Target(family: .qemu, os: "debian-12"), verb: .build)
    }

    static func value(_ argv: [String], _ key: String) -> String? {
        argv.last { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    @Test func theInstallerISOIsTheSourceWithoutABaseImage() throws {
        let (plan, vars) = try Self.plan(nil, environment: ["IB_ACCELERATOR": "kvm"])
        #expect(plan.builder == "qemu" && plan.builderType == "qemu")
        #expect(plan.accelerator?.kind == .kvm && plan.accelerator?.reason == "IB_ACCELERATOR=kvm")
        let argv = plan.packer.arguments
        #expect(Self.value(argv, "ib_qemu_accelerator") == "kvm" && Self.value(argv, "ib_qemu_cpu") == "host")
        #expect(Self.value(argv, "qemu_disk_image") == "false")
        #expect(plan.seed?.source.hasSuffix("packer/ova/linux/debian/preseed") == true)
        #expect(vars.value("boot_command_prefix").contains("preseed/url="))
        #expect(plan.afterPacker == [.packageByPostProcessor])
        #expect(argv.contains("-only=qemu"))
    }

    @Test func aBaseImageIsBootedWithTheCloudImageSeed() throws {
        let disk = try Fixtures.makeTemporaryDirectory() + "/disk.qcow2"
        try Fixtures.write("QFI", to: disk)
        let (plan, vars) = try Self.plan(
            "{\"base_image_url\": \"file://\(disk)\", \"base_image_checksum\": \"sha256:\(String(repeating: "a", count: 64))\"}",
            environment: ["IB_ACCELERATOR": "tcg"])
        let argv = plan.packer.arguments
        #expect(Self.value(argv, "iso_url") == "file://" + disk)
        #expect(Self.value(argv, "iso_checksum") == "sha256:" + String(repeating: "a", count: 64))
        #expect(Self.value(argv, "qemu_disk_image") == "true" && Self.value(argv, "ib_qemu_cpu") == "max")
        #expect(Self.value(argv, "boot_command_prefix") == "")
        #expect(plan.seed?.source.hasSuffix("packer/ova/linux/cloud-image") == true)
        #expect(plan.seed?.files == ["meta-data", "user-data"])
        #expect(plan.environment.values["IB_HTTP_DIR"] == "")
        #expect(vars.effective("qemu_disk_image")?.source.describe(RepoLayout(root: Fixtures.repoRoot)).contains("base_image_url") == true)
    }

    @Test func badInputIsRefusedByName() throws {
        #expect(throws: ConfigError.self) { try Self.plan(nil, environment: ["IB_ACCELERATOR": "hvf"]) }
        do {
            _ = try Self.plan("{\"base_image_url\": \"https://images.example/debian.qcow2\"}")
            Issue.record("a downloaded base image without a checksum was planned")
        } catch let error as ConfigError {
            #expect(error.description.contains("base_image_checksum") && error.exitStatus == .badInput, "\(error)")
        }
        do {
            _ = try Self.plan("{\"base_image_url\": \"file:///nonexistent/disk.qcow2\"}", asBuild: true)
            Issue.record("a missing base image was planned")
        } catch let error as ConfigError {
            #expect(error.description.contains("/nonexistent/disk.qcow2"), "\(error)")
        }
    }

    /// `qemu_guest_files`: what the folder holds decides what the roles fetch from the build's
    /// loopback server instead of the Internet; each value carries its reason.
    @Test func theGuestFilesFolderDecidesWhatTheGuestFetchesFromTheBuild() throws {
        let folder = try Fixtures.makeTemporaryDirectory("ib-guest-files")
        try Fixtures.write("Package: curl\n", to: folder + "/debian/Packages")
        try Fixtures.write("tar", to: folder + "/containerd/containerd-9.9.9-linux-amd64.tar.gz")
        for binary in ["kubeadm", "kubelet", "kubectl"] {
            try Fixtures.write("#!/bin/sh\n", to: folder + "/kubernetes/v1.36.1/bin/linux/amd64/" + binary)
        }
        let (plan, vars) = try Self.plan("{\"qemu_guest_files\": \"\(folder)\", \"containerd_version\": \"9.9.9\"}")
        #expect(plan.guestFiles == folder)
        let argv = plan.packer.arguments
        #expect(
            Self.value(argv, "ansible_build_vars")
                == "apt_build_repo=http://10.0.2.100/debian/ containerd_url=http://10.0.2.100/containerd/containerd-9.9.9-linux-amd64.tar.gz")
        #expect(Self.value(argv, "kubernetes_source_type") == "http")
        #expect(Self.value(argv, "kubernetes_http_source") == "http://10.0.2.100/kubernetes")
        let reason = vars.effective("ansible_build_vars")?.source.describe(RepoLayout(root: Fixtures.repoRoot)) ?? ""
        #expect(reason.contains("qemu_guest_files") && reason.contains("vars.json"), "\(reason)")

        // Without the folder: nothing is served, nothing changes.
        let (plain, _) = try Self.plan(nil)
        #expect(plain.guestFiles == nil && Self.value(plain.packer.arguments, "ansible_build_vars") == nil)
    }

    @Test func aGuestFilesFolderThatIsMissingOrServesNothingIsRefusedByName() throws {
        let empty = try Fixtures.makeTemporaryDirectory("ib-guest-files")
        for (given, expected) in [("/nonexistent/guest-files", "a folder on this host"), (empty, "debian/Packages")] {
            do {
                _ = try Self.plan("{\"qemu_guest_files\": \"\(given)\"}")
                Issue.record("\(given) was planned")
            } catch let error as ConfigError {
                #expect(error.exitStatus == .badInput)
                #expect(error.description.contains("qemu_guest_files") && error.description.contains("vars.json"), "\(error)")
                #expect(error.description.contains(expected), "\(error)")
            }
        }
    }
}
