import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import Testing

/// Windows nodes (issue 16) on the simulator: two builds at once, each with its own unattend file;
/// the password only in Windows' encoded form, nowhere in argv or logs; the OVA verified and
/// deployed back.
@Suite(
    .enabled(
        if: (SimulatorFixture.available && Fixtures.hasTool("packer") && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI,
        "needs go, govmomi's source and packer"))
struct WindowsTests {
    static let password = "W1n-" + String(Int.random(in: 100_000...999_999)) + "-Adm!"

    @Test(.timeLimit(.minutes(10)))
    func twoWindowsBuildsAtOnceOnTheSimulator() async throws {
        let root = try Fixtures.makeRepoCopy(windows: true)
        let simulator = try await SimulatorFixture.start(in: root)
        defer { Task { await simulator.stop() } }
        let seedSource = Fixtures.read(root + "/packer/ova/windows/autounattend/autounattend.xml.tmpl")
        let env = ["WINDOWS_ADMIN_PASSWORD": Self.password, "IB_KEEP_WORK": "1"]
        let build = try await OpenStackPublishTests.make(
            root, ["-j2", "build-node-ova-vsphere-windows-2022-efi", "build-node-ova-vsphere-windows-2019"], environment: env, simulator: true)
        #expect(build.status == 0, "\(build.stdout.suffix(3000))\(build.stderr.suffix(2000))")
        #expect(!(build.stdout + build.stderr).contains(Self.password))

        // Each build rendered its own unattend file, in its own work directory; the tree's template is untouched.
        let works = (FileReader.list(root + "/output/.work") ?? []).filter { $0.contains("windows") }.sorted()
        #expect(works.count == 2, "\(works)")
        for work in works {
            let unattend = try #require(Fixtures.read(root + "/output/.work/\(work)/cidata/autounattend.xml"), "\(work)")
            #expect(!unattend.contains(Self.password) && !unattend.contains("@"), "\(work)")
            let encoded = BuildWorkspace.unattendEncoded(Self.password, suffix: "AdministratorPassword")
            #expect(unattend.contains("<Value>\(encoded)</Value><PlainText>false</PlainText>"))
            let efi = work.contains("efi")
            #expect(unattend.contains("<Type>EFI</Type>") == efi && unattend.contains("<Active>true</Active>") == !efi, "\(work)")
            #expect(unattend.contains("<PartitionID>\(efi ? 3 : 1)</PartitionID></InstallTo>"), "\(work)")
        }
        #expect(Fixtures.read(root + "/packer/ova/windows/autounattend/autounattend.xml.tmpl") == seedSource)
        for log in FileReader.list(root + "/output/logs") ?? [] {
            #expect(Fixtures.read(root + "/output/logs/" + log)?.contains(Self.password) == false, "\(log)")
        }

        // The OVA: verified, the Windows guest id, EFI, nested virtualization, and it deploys back.
        let ova = root + "/output/windows-2022-efi-kube-v1.36.1/windows-2022-efi-kube-v1.36.1.ova"
        let verify = try await ProcessCapture.run(Fixtures.binary, ["ova", "verify", ova], environment: ["IB_ROOT": root])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let ovf = try Fixtures.ovfText(ova)
        #expect(ovf.contains("windows2019srvNext_64Guest") && ovf.contains(#"vmw:key="firmware" vmw:value="efi""#), "\(ovf.prefix(3000))")
        #expect(ovf.contains(#"vmw:key="nestedHVEnabled" vmw:value="true""#))
        let deploy = try await ProcessCapture.run(
            Fixtures.binary, ["vsphere", "deploy", ova, "win-node", "--var-file", simulator.varFile],
            environment: ["IB_ROOT": root, "PATH": "/usr/bin:/bin", "HOME": root])
        #expect(deploy.status == 0, "\(deploy.stdout)\(deploy.stderr)")
    }

    @Test func theUnattendFileHasItsPassesAndIsWellFormed() async throws {
        for firmware in ["bios", "efi"] {
            let out = try Fixtures.makeTemporaryDirectory("ib-unattend")
            var seed = try SeedFiles.plan(
                seedDirectory: "packer/ova/windows/autounattend", layout: RepoLayout(root: Fixtures.repoRoot), workDirectory: out, osFile: "test")
            seed.values = Planner.windowsSeedValues(firmware: firmware, imageIndex: "2", productKey: "AAAAA-<&>", computerName: "windows-2022-efi-x")
            seed.values["ADMIN_PASSWORD_ENCODED"] = BuildWorkspace.unattendEncoded("p&ss<word>", suffix: "AdministratorPassword")
            seed.values["AUTOLOGON_PASSWORD_ENCODED"] = BuildWorkspace.unattendEncoded("p&ss<word>", suffix: "Password")
            try seed.render(into: seed.destination, values: seed.values)
            let script = """
                import base64, sys, xml.etree.ElementTree as ET
                ns = {"u": "urn:schemas-microsoft-com:unattend"}
                root = ET.parse(sys.argv[1]).getroot()
                print(sorted(s.get("pass") for s in root.findall("u:settings", ns)))
                print(len(root.findall(".//u:CreatePartition", ns)), root.find(".//u:InstallTo/u:PartitionID", ns).text)
                print(root.find(".//u:ComputerName", ns).text, root.find(".//u:ProductKey/u:Key", ns).text)
                value = root.find(".//u:AdministratorPassword/u:Value", ns).text
                print(base64.b64decode(value).decode("utf-16-le"))
                """
            let r = try await ProcessCapture.run("/usr/bin/python3", ["-c", script, seed.destination + "/autounattend.xml"])
            #expect(r.status == 0, "\(r.stderr)")
            let efi = firmware == "efi"
            #expect(
                r.stdout
                    == "['oobeSystem', 'specialize', 'windowsPE']\n\(efi ? "3 3" : "1 1")\nwindows-2022-ef AAAAA-<&>\np&ss<word>AdministratorPassword\n",
                "\(r.stdout)")
        }
    }
}
