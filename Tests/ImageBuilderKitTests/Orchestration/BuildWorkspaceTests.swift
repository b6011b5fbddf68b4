import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Each build's own directory, cache, log and TMPDIR; secrets only in the environment; the
/// plan's argv run as it is.
@Suite struct BuildWorkspaceTests {
    static func mode(_ path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o777 : 0
    }

    @Test("two builds of one run share no path packer writes to")
    func buildsAreIsolated() async throws {
        let f = try OrchestrationFixture(variables: ["VSPHERE_PASSWORD": "vc-Secret-123", "SSH_PASSWORD": "ssh-Secret-456"])
        let plans = try f.plans(["build-node-ova-local-ubuntu-2404", "build-node-ova-local-ubuntu-2204"])
        let spaces = plans.map { BuildWorkspace(plan: $0, run: f.environment) }
        for space in spaces { try await space.create(loader: VarFileLoader(), processes: FakeHelperRunner()) }
        for key in ["IB_WORK_DIR", "PACKER_CACHE_DIR", "PACKER_LOG_PATH", "TMPDIR"] {
            let values = spaces.map { $0.environment[key] ?? "" }
            #expect(values[0] != values[1], "\(key) is shared")
            #expect(zip(values, spaces).allSatisfy { Paths.isInside($0, $1.directory) || $0.hasPrefix("/tmp/ib-") }, "\(key)")
        }
        for space in spaces {
            #expect(Self.mode(space.directory) == 0o700)
            #expect(space.directory.hasSuffix("-20261201T000000-4242"))
            // The seed was rendered into this build's own directory with the (fake) crypt hash.
            let seed = try #require(space.plan.seed)
            #expect(Paths.isInside(seed.destination, space.directory))
            #expect(Fixtures.read(seed.destination + "/user-data")?.contains("$6$fakesalt$fakehash") == true)
        }
    }

    @Test("secrets reach packer only through its environment, never argv or the work files")
    func secretsOnlyInTheEnvironment() async throws {
        let f = try OrchestrationFixture(variables: ["VSPHERE_PASSWORD": "vc-Secret-123", "SSH_PASSWORD": "ssh-Secret-456"])
        let plan = try #require(try f.plans(["build-node-ova-vsphere-ubuntu-2404"]).first)
        let space = BuildWorkspace(plan: plan, run: f.environment)
        try await space.create(loader: VarFileLoader(), processes: FakeHelperRunner())
        #expect(space.environment["VSPHERE_PASSWORD"] == nil && space.environment["SSH_PASSWORD"] == nil)
        #expect(space.environment["IB_VSPHERE_PASSWORD"] == "vc-Secret-123")
        #expect(space.environment["IB_SSH_PASSWORD"] == "ssh-Secret-456")
        #expect(!space.command.arguments.joined(separator: " ").contains("Secret-"))
        #expect(Set(space.secrets.map(\.value)).isSuperset(of: ["vc-Secret-123", "ssh-Secret-456"]))
        let listing = try await ProcessCapture.run("/bin/sh", ["-c", "cat \"$1\"/var-files/* 2>/dev/null; true", "sh", space.directory])
        #expect(!listing.stdout.contains("Secret-"))
    }

    @Test("the plan is final: argv has the run id, no placeholder, and is what the runner starts")
    func thePlanIsRunAsItIs() async throws {
        let f = try OrchestrationFixture()
        let plans = try f.plans(["build-node-ova-local-all"])
        for plan in plans {
            #expect(!plan.packer.arguments.joined().contains(BuildPlan.runIDPlaceholder))
            let space = BuildWorkspace(plan: plan, run: f.environment)
            #expect([space.command.executable] + space.command.arguments == plan.packer.arguments)
            #expect(space.environment["TMPDIR"] == plan.environment.values["TMPDIR"])
        }
        // Local builds of one run get VNC port ranges that do not overlap.
        let ranges = plans.compactMap { plan in plan.packer.arguments.first { $0.hasPrefix("vnc_port_min=") } }
        #expect(Set(ranges).count == plans.count)
    }

    @Test("a base build stores its new SSH password for its clones; a clone reads it")
    func baseSecretIsStoredAndReused() async throws {
        let f = try OrchestrationFixture()
        let base = try #require(try f.plans(["build-node-ova-local-base-ubuntu-2404"]).first)
        let space = BuildWorkspace(plan: base, run: f.environment)
        try await space.create(loader: VarFileLoader(), processes: FakeHelperRunner())
        let file = try #require(base.sshSecretFile)
        #expect(Self.mode(file) == 0o600)
        let clone = try #require(try f.plans(["build-node-ova-local-vmx-ubuntu-2404"]).first)
        #expect(clone.sshSecretFile == file)
        #expect(BuildWorkspace(plan: clone, run: f.environment).environment["IB_SSH_PASSWORD"] == space.environment["IB_SSH_PASSWORD"])
    }
}
