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
