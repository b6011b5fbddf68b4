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
}
