import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import Testing
import VSphereKit

/// Issue 17, acceptance 3 and 4: `firmware=efi-secure` and `vmx_version` flow to the VM packer makes
/// and to the OVF, and survive a deploy back into the simulator; a BIOS-only OS refuses Secure Boot.
@Suite(
    .enabled(
        if: (SimulatorFixture.available && Fixtures.hasTool("packer") && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI,
        "needs go, govmomi's source and packer"))
struct FirmwareTests {
    @Test(.timeLimit(.minutes(10)))
    func secureBootAndTheHardwareVersionReachTheVMAndTheOVF() async throws {
        let root = try Fixtures.makeRepoCopy()
        let simulator = try await SimulatorFixture.start(in: root)
        defer { Task { await simulator.stop() } }
        try Fixtures.write(#"{"firmware": "efi-secure", "vmx_version": "19"}"#, to: root + "/secure.json")
        // (The simulator's environment sets PACKER_VAR_FILES: this OS's own var file comes after it.)
        let build = try await OpenStackPublishTests.make(
            root, ["build-node-ova-vsphere-ubuntu-2404", "VAR_FILES_ubuntu-2404=\(root)/secure.json"], environment: [:], simulator: true)
        #expect(build.status == 0, "\(build.stdout.suffix(3000))\(build.stderr.suffix(2000))")

        let ova = root + "/output/ubuntu-2404-kube-v1.36.1/ubuntu-2404-kube-v1.36.1.ova"
        let ovf = try OVFSummary.parse(Array(try Fixtures.ovfText(ova).utf8))
        #expect(ovf.firmware == "efi" && ovf.secureBoot && ovf.hardwareVersion == "vmx-19", "\(ovf)")
        let verify = try await ProcessCapture.run(Fixtures.binary, ["ova", "verify", ova], environment: ["IB_ROOT": root])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        let deploy = try await ProcessCapture.run(
            Fixtures.binary, ["vsphere", "deploy", ova, "secure-node", "--var-file", simulator.varFile],
            environment: ["IB_ROOT": root, "PATH": "/usr/bin:/bin", "HOME": root])
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
        let client = VSphereClient(
            host: simulator.host, username: simulator.username, password: simulator.password,
            transport: try AHCTransport(host: simulator.host, trust: .caFile(simulator.caFile)))
        // The VM packer built (its template stays on vCenter), and the one deployed from the OVA.
        for name in ["ubuntu-2404-kube-v1.36.1", "secure-node"] {
            let vm = try await client.requireVM(name)
            let firmware = try await client.firmware(vm)
            #expect(firmware.firmware == "efi" && firmware.secureBoot, "\(name): \(firmware)")
            #expect(try await client.properties(of: vm, ["config.version"])["config.version"]?.string == "vmx-19", "\(name)")
        }
        await client.logout()
    }

    /// Acceptance 5: a vTPM on an EFI build (Debian 12, new in this issue) is on the template and
    /// not in the OVA; the build says it removed it for the export, which VSphereKit refuses while
    /// a VM has one (as vCenter does).
    @Test(.timeLimit(.minutes(10)))
    func aVTPMStaysOnTheTemplateAndIsLeftOutOfTheExport() async throws {
        let root = try Fixtures.makeRepoCopy()
        let simulator = try await SimulatorFixture.start(in: root)
        defer { Task { await simulator.stop() } }
        try Fixtures.write(#"{"firmware": "efi", "vtpm": true, "convert_to_template": "true"}"#, to: root + "/vtpm.json")
        let build = try await OpenStackPublishTests.make(
            root, ["build-node-ova-vsphere-debian-12", "VAR_FILES_debian-12=\(root)/vtpm.json"], environment: [:], simulator: true)
        #expect(build.status == 0, "\(build.stdout.suffix(3000))\(build.stderr.suffix(2000))")
        #expect(
            build.stdout.contains("vTPM: removed for the export (the OVA has none; vCenter does not export one), added again on the template"),
            "\(build.stdout.suffix(2000))")
        let log = Fixtures.read(root + "/output/logs/node-ova-vsphere-debian-12.log") ?? ""
        let removed = try #require(log.range(of: "vTPM removed for the export"), "\(log.suffix(3000))")
        let exported = try #require(log.range(of: "packaged "), "\(log.suffix(3000))")
        let again = try #require(log.range(of: "vTPM added again after the export (the template keeps it)"), "\(log.suffix(3000))")
        #expect(removed.lowerBound < exported.lowerBound && exported.lowerBound < again.lowerBound)

        let ova = root + "/output/debian-12-kube-v1.36.1/debian-12-kube-v1.36.1.ova"
        let ovfText = try Fixtures.ovfText(ova)
        #expect(!ovfText.lowercased().contains("tpm"), "the OVF describes a TPM")
        #expect(try OVFSummary.parse(Array(ovfText.utf8)).firmware == "efi")
        let verify = try await ProcessCapture.run(Fixtures.binary, ["ova", "verify", ova], environment: ["IB_ROOT": root])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        let client = VSphereClient(
            host: simulator.host, username: simulator.username, password: simulator.password,
            transport: try AHCTransport(host: simulator.host, trust: .caFile(simulator.caFile)))
        let vm = try await client.requireVM("debian-12-kube-v1.36.1")
        #expect(try await client.trustedPlatformModules(vm).count == 1)
        #expect(try await client.properties(of: vm, ["config.template"])["config.template"]?.string == "true")
        await client.logout()
        // The template, with its vTPM, is not exported (what vCenter refuses, refused first).
        let export = try await ProcessCapture.run(
            Fixtures.binary, ["vsphere", "export", "debian-12-kube-v1.36.1", root + "/exported", "--var-file", simulator.varFile],
            environment: ["IB_ROOT": root, "PATH": "/usr/bin:/bin", "HOME": root])
        #expect(export.status != 0 && export.stderr.contains("has a vTPM"), "\(export.stderr)")
        #expect((FileReader.list(root + "/exported") ?? []).isEmpty)
    }

    /// Acceptance 5: `vtpm` on a BIOS build, or on a family without vCenter, is exit 2 before
    /// packer, naming the file and key.
    @Test func aVTPMWithoutEFIOrVCenterIsExit2BeforePacker() async throws {
        let root = try Fixtures.makeRepoCopy()
        try Fixtures.write(#"{"vtpm": true}"#, to: root + "/vtpm.json")
        let environment = ["IB_ROOT": root, "PATH": "/usr/bin:/bin", "HOME": root, "PACKER_VAR_FILES": root + "/vtpm.json"]
        let bios = try await ProcessCapture.run(Fixtures.binary, ["build", "build-node-ova-vsphere-ubuntu-2404"], environment: environment)
        #expect(bios.status == 2, "\(bios.stderr)")
        #expect(bios.stderr.contains("vtpm.json:1") && bios.stderr.contains("key 'vtpm'") && bios.stderr.contains("firmware bios"), "\(bios.stderr)")
        try Fixtures.write(#"{"vtpm": true, "firmware": "efi"}"#, to: root + "/vtpm.json")
        let local = try await ProcessCapture.run(Fixtures.binary, ["build", "build-node-ova-local-ubuntu-2404"], environment: environment)
        #expect(local.status == 2 && local.stderr.contains("key 'vtpm'") && local.stderr.contains("through vCenter"), "\(local.stderr)")
        #expect(!FileReader.exists(root + "/output/logs"), "a log was started")
    }

    @Test func aBIOSOnlyOSRefusesSecureBoot() async throws {
        let root = try Fixtures.makeRepoCopy()
        try Fixtures.write(#"{"firmware": "efi-secure"}"#, to: root + "/secure.json")
        let plan = try await ProcessCapture.run(
            Fixtures.binary, ["plan", "build-node-ova-vsphere-flatcar"],
            environment: ["IB_ROOT": root, "PATH": "/usr/bin:/bin", "PACKER_VAR_FILES": root + "/secure.json"])
        #expect(plan.status == 2 && plan.stderr.contains("firmware") && plan.stderr.contains("flatcar boots with: bios"), "\(plan.stderr)")
        #expect(plan.stderr.contains("secure.json"), "\(plan.stderr)")
    }
}
