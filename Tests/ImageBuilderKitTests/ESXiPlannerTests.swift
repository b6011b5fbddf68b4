import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// Planning the MAAS ESXi image: every bad input is exit 2 naming its variable, before anything.
@Suite struct ESXiPlannerTests {
    static let checksum = "sha256:" + String(repeating: "ab", count: 32)

    static func planner(_ variables: [String: String], iso: String? = nil) throws -> ESXiPlanner {
        let dir = try Fixtures.makeTemporaryDirectory("ib-esxi-plan")
        let path = iso ?? dir + "/VMware-VMvisor-Installer-8.0U3-24022510.x86_64.iso"
        if iso == nil { try Fixtures.write("iso", to: path) }
        var env = ["ESXI_ISO": path, "ESXI_ISO_CHECKSUM": checksum, "ESXI_ROOT_PASSWORD": "Corr3ct-horse", "IB_ACCELERATOR": "tcg"]
        env.merge(variables) { $1 }
        return ESXiPlanner(
            environment: RunEnvironment(variables: env.filter { !$0.value.isEmpty }, workingDirectory: dir),
            layout: RepoLayout(root: Fixtures.repoRoot), packer: .found("/usr/bin/packer"), runID: "20261206-120000-abcd")
    }

    static func error(_ variables: [String: String], verb: Verb = .build) -> ESXiInputError? {
        do {
            _ = try planner(variables).plan(verb)
            return nil
        } catch let error as ESXiInputError {
            return error
        } catch {
            return nil
        }
    }

    @Test func aGoodBuildIsPlannedFromTheISOName() throws {
        let plan = try Self.planner([:]).plan(.build)
        #expect(plan.release == "8.0" && plan.maasName == "esxi/8.0" && plan.releaseSource == "the ISO's name")
        #expect(plan.image.hasSuffix("/output/esxi-8.0/esxi-8.0.dd.gz") && plan.checksumFile == plan.image + ".sha256")
        #expect(plan.workDirectory.hasSuffix("/output/.work/maas-esxi-20261206-120000-abcd"))
        #expect(plan.packer.arguments.contains("iso_checksum=\(Self.checksum)"))
        #expect(plan.packer.arguments.contains("accelerator=tcg") && plan.packer.arguments.contains("cpu_model=max"))
        #expect(plan.packer.arguments.last?.hasSuffix("/packer/maas/esxi.json") == true)
        #expect(!plan.packer.arguments.joined().contains("Corr3ct-horse"))
        #expect(plan.environment.removed.contains("ESXI_ROOT_PASSWORD"))
        let json = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
        #expect(!json.contains("Corr3ct-horse"))
    }

    @Test func missingInputsNameTheirVariable() {
        for name in ["ESXI_ISO", "ESXI_ISO_CHECKSUM", "ESXI_ROOT_PASSWORD"] {
            guard case .unset(let variable, _)? = Self.error([name: ""]) else {
                Issue.record("\(name): no error")
                continue
            }
            #expect(variable == name)
            #expect(Self.error([name: ""])?.exitStatus == .badInput)
        }
    }

    @Test func validateNeedsNoneOfThem() throws {
        let plan = try Self.planner(["ESXI_ISO": "", "ESXI_ISO_CHECKSUM": "", "ESXI_ROOT_PASSWORD": ""]).plan(.validate)
        #expect(plan.rootPassword == nil && plan.warnings.contains { $0.contains("ESXI_ISO is not set") })
        #expect(plan.packer.arguments[1] == "validate")
    }

    @Test func weakOrDefaultPasswordsAndBadChecksumsAreRefused() {
        for password in ["password123!", "VMware1!", "abc", "alllowercase", "Sh0rt!"] {
            guard case .weakPassword? = Self.error(["ESXI_ROOT_PASSWORD": password]) else {
                Issue.record("\(password) accepted")
                continue
            }
        }
        #expect(Self.error(["ESXI_ROOT_PASSWORD": "Good-pass-1"]) == nil)
        for checksum in ["none", "md5:abc", "sha256:xyz", "sha256:" + String(repeating: "a", count: 63)] {
            guard case .invalid(let variable, _, _)? = Self.error(["ESXI_ISO_CHECKSUM": checksum]) else {
                Issue.record("\(checksum) accepted")
                continue
            }
            #expect(variable == "ESXI_ISO_CHECKSUM")
        }
        // A bare sha256 is read as sha256.
        #expect(Self.error(["ESXI_ISO_CHECKSUM": String(repeating: "0", count: 64)]) == nil)
    }

    @Test func theReleaseComesFromESXI_RELEASEOrTheISOName() throws {
        #expect(try Self.planner(["ESXI_RELEASE": "7.0"]).plan(.build).release == "7.0")
        #expect(Self.error(["ESXI_RELEASE": "../x"]).map { "\($0)" }?.contains("ESXI_RELEASE") == true)
        let dir = try Fixtures.makeTemporaryDirectory("ib-esxi-iso")
        try Fixtures.write("iso", to: dir + "/custom.iso")
        var refused: ESXiInputError?
        do { _ = try Self.planner([:], iso: dir + "/custom.iso").plan(.build) } catch let error as ESXiInputError { refused = error }
        guard case .unset(let variable, _)? = refused else {
            Issue.record("a release from custom.iso")
            return
        }
        #expect(variable == "ESXI_RELEASE")
    }

    @Test func anISOThatIsAFIFOIsNotRead() throws {
        let dir = try Fixtures.makeTemporaryDirectory("ib-esxi-fifo")
        let fifo = dir + "/VMware-VMvisor-Installer-8.0.iso"
        #expect(mkfifo(fifo, 0o600) == 0)
        do {
            _ = try Self.planner([:], iso: fifo).plan(.build)
            Issue.record("a FIFO was accepted")
        } catch let error as ESXiInputError {
            #expect("\(error)".contains("a FIFO") && "\(error)".contains("ESXI_ISO"))
        }
    }

    @Test func theAcceleratorIsKVMOnlyWithVMXOrSVM() throws {
        let dir = try Fixtures.makeTemporaryDirectory("ib-esxi-kvm")
        try Fixtures.write("", to: dir + "/kvm")
        try Fixtures.write("processor : 0\nflags : fpu sse2 hypervisor\n", to: dir + "/cpuinfo-pv")
        try Fixtures.write("processor : 0\nflags : fpu vmx sse2\n", to: dir + "/cpuinfo-vmx")
        let env = RunEnvironment(variables: [:], workingDirectory: dir)
        #expect(try Accelerator.choose(env, kvmDevice: dir + "/kvm", cpuinfo: dir + "/cpuinfo-pv").kind == .tcg)
        #expect(try Accelerator.choose(env, kvmDevice: dir + "/kvm", cpuinfo: dir + "/cpuinfo-vmx").kind == .kvm)
        #expect(try Accelerator.choose(env, kvmDevice: dir + "/none", cpuinfo: dir + "/cpuinfo-vmx").kind == .tcg)
        let forced = RunEnvironment(variables: ["IB_ACCELERATOR": "kvm"], workingDirectory: dir)
        #expect(try Accelerator.choose(forced, kvmDevice: dir + "/none").kind == .kvm)
        #expect(throws: ESXiInputError.self) {
            try Accelerator.choose(RunEnvironment(variables: ["IB_ACCELERATOR": "xen"], workingDirectory: dir))
        }
    }
}
