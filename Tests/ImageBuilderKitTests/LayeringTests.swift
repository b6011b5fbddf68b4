import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

@Suite struct LayeringTests {
    func planner(_ variables: [String: String], work: String, options: [String] = []) throws -> Planner {
        var env = variables
        env["IB_ROOT"] = Fixtures.repoRoot
        return try Planner(environment: RunEnvironment(variables: env, workingDirectory: work), varFileOptions: options)
    }

    // boot_wait stands for any variable whose value is not checked (firmware's values are).
    @Test func laterFilesWinAndVarWinsOverAll() throws {
        let work = try Fixtures.makeTemporaryDirectory()
        try Fixtures.write("{\"boot_wait\": \"from-a\", \"memory\": \"1\"}", to: work + "/a.json")
        try Fixtures.write("{\"boot_wait\": \"from-b\", \"cpu\": 8}", to: work + "/b.json")
        try Fixtures.write("{\"boot_wait\": \"from-flags-file\", \"disk_size\": \"1\"}", to: work + "/f.json")
        let p = try planner(["PACKER_VAR_FILES": "a.json b.json", "PACKER_FLAGS": "-var memory=2048 -var-file=f.json"], work: work)
        let (_, vars) = try p.plan(Target(family: .vsphere, os: "ubuntu-2404-efi"), verb: .build)
        #expect(vars.value("boot_wait") == "from-b")
        #expect(vars.value("memory") == "2048")
        #expect(vars.value("cpu") == "8")
        // A -var-file inside PACKER_FLAGS sits below packer-common (the reference's order).
        #expect(vars.value("disk_size") == "20480")
        // Most recent first: a.json, the OS file, packer-common, PACKER_FLAGS' file, the template default.
        let history = vars.overridden("boot_wait").map(\.value.packerText)
        #expect(history == ["from-a", "10s", "10s", "from-flags-file", "10s"])
    }

    @Test func outputDirectoryFollowsBuildVersion() throws {
        let work = try Fixtures.makeTemporaryDirectory()
        let p = try planner(["PACKER_FLAGS": "-var build_version=capv-ci-x"], work: work)
        let (plan, _) = try p.plan(Target(family: .vsphere, os: "ubuntu-2404"), verb: .build)
        #expect(plan.outputDirectory == Fixtures.repoRoot + "/output/capv-ci-x")
        let (base, _) = try p.plan(Target(family: .vsphereBase, os: "ubuntu-2204"), verb: .build)
        #expect(base.outputDirectory == Fixtures.repoRoot + "/output/base-ubuntu-2204")
        let (flatcar, _) = try p.plan(Target(family: .local, os: "flatcar"), verb: .build)
        #expect(flatcar.workDirectory == Fixtures.repoRoot + "/output/.work/node-ova-local-flatcar-<run-id>")
    }

    @Test func explainNamesSourcesAndRedactsSecrets() throws {
        let work = try Fixtures.makeTemporaryDirectory()
        try Fixtures.write("{\"password\": \"hunter22\", \"firmware\": \"efi\"}", to: work + "/v.json", mode: 0o600)
        let p = try planner(["PACKER_VAR_FILES": "v.json"], work: work)
        let (plan, vars) = try p.plan(Target(family: .vsphere, os: "ubuntu-2404"), verb: .build)
        let rows = try Explainer.explain(plan, vars, layout: p.layout, names: ["password", "firmware", "output_dir"])
        #expect(rows[0].value == "<redacted>")
        #expect(rows[0].secret)
        #expect(!rows.map { "\($0)" }.joined().contains("hunter22"))
        #expect(rows[1].source.hasPrefix(work + "/v.json:1"))
        #expect(rows[1].overrides.map(\.source).first == "images/ubuntu-2404.json:9 (OS file)")
        #expect(rows[2].expanded == "./output/ubuntu-2404-kube-v1.36.1")
        #expect(throws: ConfigError.self) { try Explainer.explain(plan, vars, layout: p.layout, names: ["firmwar"]) }
        #expect(!plan.warnings.contains { $0.contains("readable") })  // 0600: no warning
    }

    @Test func aPasswordFileReadableByOthersIsWarnedAbout() throws {
        let work = try Fixtures.makeTemporaryDirectory()
        try Fixtures.write("{\"password\": \"hunter22\"}", to: work + "/v.json", mode: 0o644)
        let (plan, _) = try planner(["PACKER_VAR_FILES": "v.json"], work: work).plan(Target(family: .vsphere, os: "rhel-9"), verb: .build)
        #expect(plan.warnings.contains { $0.contains("v.json sets password and is readable by others") })
    }

    @Test func vSphereSettingsAreRequiredForBuildsOnly() throws {
        let work = try Fixtures.makeTemporaryDirectory()
        try Fixtures.write(
            """
            {"vcenter_server": "vc", "username": "u", "datacenter": "dc", "datastore": "ds", "host": "h"}
            """, to: work + "/vc.json")
        let p = try planner(["PACKER_VAR_FILES": "vc.json", "VSPHERE_PASSWORD": "pw-from-env"], work: work)
        let (plan, _) = try p.plan(Target(family: .vsphere, os: "ubuntu-2404"), verb: .build)
        #expect(plan.missingSettings == ["network"])
        p.refusesMissingSettings = true
        let consulted =
            ["kubernetes", "cni", "containerd", "ansible-args", "goss-args", "common"].map { "packer/config/\($0).json" }
            + ["packer/ova/packer-common.json", "images/ubuntu-2404.json", "packer/ova/vsphere.json", work + "/vc.json"]
        #expect(throws: ConfigError.missingSettings(target: "build-node-ova-vsphere-ubuntu-2404", keys: ["network"], consulted: consulted)) {
            _ = try p.plan(Target(family: .vsphere, os: "ubuntu-2404"), verb: .build)
        }
    }
}
