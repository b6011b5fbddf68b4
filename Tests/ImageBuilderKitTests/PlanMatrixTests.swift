import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// Acceptance 2: over the whole matrix, packer's argv has the var files in the documented
/// order, PACKER_VAR_FILES last (given order, escaped spaces), `--var-file OS=FILE` after them
/// for that OS only, PACKER_FLAGS' `-var`, the family's builder, and the template last.
@Suite struct PlanMatrixTests {
    struct Setup {
        let planner: Planner
        let work: String
        let userFiles: [String]
        let onlyFile: String
    }

    static func setup() throws -> Setup {
        let work = try Fixtures.makeTemporaryDirectory()
        try Fixtures.write("{\"user_a\": \"1\"}", to: work + "/a.json")
        try Fixtures.write("{\"user_b\": 2}", to: work + "/my dir/b.json")
        try Fixtures.write("{\"only\": \"x\"}", to: work + "/only.json")
        let env = RunEnvironment(
            variables: [
                "IB_ROOT": Fixtures.repoRoot, "PACKER_BIN": "/bin/true", "SSH_PASSWORD": "s3cret-ssh",
                "VSPHERE_PASSWORD": "s3cret-vc",
                "PACKER_VAR_FILES": "a.json my\\ dir/b.json",
                "PACKER_FLAGS": "-var foo=bar -on-error=abort",
            ], workingDirectory: work)
        let planner = try Planner(environment: env, varFileOptions: ["ubuntu-2404=only.json"])
        return Setup(planner: planner, work: work, userFiles: [work + "/a.json", work + "/my dir/b.json"], onlyFile: work + "/only.json")
    }

    static let all: [Target] = {
        guard let catalog = try? Catalog.load(RepoLayout(root: Fixtures.repoRoot), loader: VarFileLoader()) else { return [] }
        return Family.allCases.flatMap { family in catalog.systems(in: family).map { Target(family: family, os: $0.name) } }
    }()

    @Test func coversTheWholeMatrix() { #expect(Self.all.count == 117) }

    @Test(arguments: all)
    func argvFollowsTheLayering(target: Target) throws {
        let s = try Self.setup()
        let root = Fixtures.repoRoot
        let (plan, _) = try s.planner.plan(target, verb: .build)
        let argv = plan.packer.arguments
        #expect(argv[0] == "/bin/true")
        #expect(argv[1] == "build")
        #expect(argv.last == root + (target.os.hasPrefix("windows") ? "/packer/ova/packer-windows.json" : "/packer/ova/packer-node.json"))
        #expect(argv[argv.count - 2] == "-only=" + target.family.builder)
        #expect(plan.packer.workingDirectory == root)

        let shared = ["kubernetes", "cni", "containerd", "ansible-args", "goss-args", "common"].map { root + "/packer/config/\($0).json" }
        var expected = shared + [root + "/packer/ova/packer-common.json", root + "/images/\(target.os).json"]
        if let family = target.family.familyVarFile { expected.append(root + "/" + family) }
        expected += s.userFiles
        if target.os == "ubuntu-2404" { expected.append(s.onlyFile) }
        #expect(plan.varFiles.map(\.path) == expected)
        let argvFiles = argv.filter { $0.hasPrefix("-var-file=") }.map { String($0.dropFirst("-var-file=".count)) }
        #expect(argvFiles == plan.varFiles.map(\.argumentPath))
        // b.json holds a number: packer 1.6.6 reads a string-only copy in the work directory.
        #expect(plan.varFiles.first { $0.path.hasSuffix("b.json") }?.stringCopy?.hasPrefix(plan.workDirectory + "/var-files/") == true)

        // PACKER_FLAGS sits right after the shared config files, then -color.
        let firstNonShared = argv.firstIndex(of: "-var")
        #expect(argv[2] == "-timestamp-ui")
        #expect(firstNonShared == 3 + shared.count)
        #expect(Array(argv[(3 + shared.count)...].prefix(4)) == ["-var", "foo=bar", "-on-error=abort", "-color=true"])
        // Secrets never reach argv.
        #expect(!argv.contains { $0.contains("s3cret") })
        #expect(plan.packer.environmentNames.contains("IB_SSH_PASSWORD"))
        #expect(plan.packer.environmentNames.contains("IB_VSPHERE_PASSWORD") == target.family.usesVSphere)
    }

    @Test func localBuildsOfOneRunGetSeparateVNCPortRanges() throws {
        let s = try Self.setup()
        let plans = try s.planner.plans(try s.planner.targets(["build-node-ova-local-all"], commandVerb: .build))
        let ranges = plans.map { plan -> String in
            let args = plan.packer.arguments
            return args.filter { $0.hasPrefix("vnc_port_") }.joined(separator: " ")
        }
        #expect(ranges.first == "vnc_port_min=5900 vnc_port_max=5919")
        #expect(ranges[1] == "vnc_port_min=5920 vnc_port_max=5939")
        #expect(Set(ranges).count == plans.count)
        #expect(plans.allSatisfy { $0.packer.arguments[$0.packer.arguments.count - 2].hasPrefix("-only=") })
    }

    @Test func cloneDefaultsTemplateToItsBaseUnlessTheUserSetIt() throws {
        let s = try Self.setup()
        let (plan, vars) = try s.planner.plan(Target(family: .vsphereClone, os: "rhel-9"), verb: .build)
        #expect(plan.packer.arguments.contains("template=base-rhel-9"))
        #expect(vars.value("template") == "base-rhel-9")
        try Fixtures.write("{\"template\": \"my-golden\"}", to: s.work + "/t.json")
        let env = RunEnvironment(variables: ["IB_ROOT": Fixtures.repoRoot, "PACKER_VAR_FILES": "t.json"], workingDirectory: s.work)
        let (userPlan, userVars) = try Planner(environment: env).plan(Target(family: .vsphereClone, os: "rhel-9"), verb: .build)
        #expect(!userPlan.packer.arguments.contains { $0.hasPrefix("template=") })
        #expect(userVars.value("template") == "my-golden")
    }

    @Test func validateDropsBuildOnlyFlagsAndFillsPlaceholders() throws {
        let s = try Self.setup()
        let (plan, _) = try s.planner.plan(Target(family: .vsphere, os: "photon-5"), verb: .validate)
        let argv = plan.packer.arguments
        #expect(argv[1] == "validate")
        #expect(!argv.contains { $0.hasPrefix("-color") || $0.hasPrefix("-on-error") })
        #expect(argv.contains("vcenter_server=vcenter.invalid"))
        #expect(!argv.contains { $0.hasPrefix("password=") })
        #expect(plan.warnings.contains { $0.contains("placeholders") })
    }

    @Test func imageBuilderVariablesBecomeFlagsInTheReferenceOrder() throws {
        let work = try Fixtures.makeTemporaryDirectory()
        try Fixtures.write("ssh-ed25519 AAAA test\n", to: work + "/k.pub")
        try Fixtures.write("key", to: work + "/k")
        let env = RunEnvironment(
            variables: [
                "IB_ROOT": Fixtures.repoRoot, "ON_ERROR_ASK": "1", "FOREGROUND": "1", "DEBUG": "1", "PACKER_COLOR": "false",
                "SSH_PRIVATE_KEY_FILE": "k", "SSH_PUBLIC_KEY_FILE": "k.pub",
            ], workingDirectory: work)
        let (plan, _) = try Planner(environment: env).plan(Target(family: .local, os: "ubuntu-2404"), verb: .build)
        let argv = plan.packer.arguments
        let start = try #require(argv.firstIndex(of: "-color=false"))
        #expect(
            Array(argv[start..<start + 9]) == [
                "-color=false", "-var", "headless=false", "-on-error=ask", "-var", "ssh_private_key_file=" + work + "/k",
                "-var", "ssh_public_key=ssh-ed25519 AAAA test", "-debug",
            ])
    }
}
