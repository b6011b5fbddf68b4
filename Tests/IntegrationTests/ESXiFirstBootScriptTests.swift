import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// The curtin hook and the first-boot scripts of the MAAS ESXi image, run by python3 as MAAS's
/// ephemeral Linux and ESXi would run them (dry runs print the esxcli commands instead).
@Suite struct ESXiFirstBootScriptTests {
    static let directory = Fixtures.repoRoot + "/packer/maas"
    static let nics = (1...5).map { "52:54:00:00:00:0\($0)=vmnic\($0 - 1)" }.joined(separator: ",")

    static let network = """
        {"network": {"version": 1, "config": [
         {"type": "physical", "name": "eno1", "mac_address": "52:54:00:00:00:01", "mtu": 9000,
          "subnets": [{"type": "static", "address": "10.0.0.5/24", "gateway": "10.0.0.1"}]},
         {"type": "physical", "name": "eno2", "mac_address": "52:54:00:00:00:02"},
         {"type": "physical", "name": "eno3", "mac_address": "52:54:00:00:00:03"},
         {"type": "physical", "name": "eno4", "mac_address": "52:54:00:00:00:04"},
         {"type": "physical", "name": "eno5", "mac_address": "52:54:00:00:00:05"},
         {"type": "bond", "name": "bond0", "bond_interfaces": ["eno2", "eno3"],
          "params": {"bond-mode": "active-backup", "bond-primary": "eno3"}, "subnets": [{"type": "dhcp"}]},
         {"type": "bond", "name": "bond1", "bond_interfaces": ["eno4"], "params": {"bond-mode": "802.3ad"}, "subnets": []},
         {"type": "bond", "name": "bond2", "bond_interfaces": ["eno5"], "params": {"bond-mode": "balance-xor"}},
         {"type": "bond", "name": "bond3", "bond_interfaces": ["eno5"], "params": {"bond-mode": "balance-rr"}},
         {"type": "vlan", "name": "bond1.100", "vlan_link": "bond1", "vlan_id": 100,
          "subnets": [{"type": "static", "address": "192.168.100.5/24"}]},
         {"type": "bridge", "name": "br0", "bridge_interfaces": ["eno1"]},
         {"type": "nameserver", "address": ["10.0.0.2"]}]}}
        """

    static func python(_ arguments: [String]) async throws -> Captured {
        try await ProcessCapture.run("/usr/bin/python3", ["-B"] + arguments, environment: ["PATH": "/usr/bin:/bin"])
    }

    @Test func networkConfigV1BecomesVSwitchesWithTheBondModesMapped() async throws {
        let dir = try Fixtures.makeTemporaryDirectory("ib-first-boot")
        try Fixtures.write(Self.network, to: dir + "/curtin.json")
        let run = try await Self.python([
            Self.directory + "/first-boot/first-boot", "--config", dir + "/curtin.json", "--dry-run", "--steps", "network", "--nics", Self.nics,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("+ esxcli network vswitch standard policy failover set -v vSwitch-bond0 -a vmnic2,vmnic1 -l explicit"))
        #expect(lines.contains("+ esxcli network vswitch standard policy failover set -v vSwitch-bond1 -a vmnic3 -l iphash"))
        #expect(lines.contains("+ esxcli network vswitch standard policy failover set -v vSwitch-bond3 -a vmnic4 -l portid"))
        #expect(!run.stdout.contains("vSwitch-bond2") && run.stdout.contains("balance-xor has no ESXi teaming policy"))
        #expect(run.stdout.contains("LACP rate and transmit hash policy are ignored"))
        #expect(run.stdout.contains("bridge br0: ESXi has no Linux bridges"))
        #expect(lines.contains("+ esxcli network ip interface ipv4 set -i vmk0 -t static -I 10.0.0.5 -N 255.255.255.0"))
        #expect(lines.contains("+ esxcli network ip route ipv4 add -n default -g 10.0.0.1"))
        #expect(lines.contains("+ esxcli network vswitch standard portgroup set -p bond1.100 -v 100"))
        #expect(lines.contains("+ esxcli network ip interface ipv4 set -i vmk1 -t dhcp"))
        #expect(lines.contains("+ esxcli network ip dns server add --server=10.0.0.2"))
        #expect(lines.contains("+ esxcli network nic set -n vmnic0 -m 9000"))
        // MAAS's configuration replaces the installer's management network.
        #expect(lines.first == "+ esxcli network ip interface remove -i vmk0")
    }

    @Test func theMetadataOAuthHeaderIsWhatOAuthlibSigns() async throws {
        let script = """
            import sys; sys.path.insert(0, sys.argv[1])
            import maas_metadata, oauthlib.oauth1 as o
            ours = maas_metadata.oauth_header("CK", "TK", "T&S+ecret", now=1700000000, nonce="123")
            client = o.Client("CK", client_secret="", resource_owner_key="TK", resource_owner_secret="T&S+ecret",
                              signature_method=o.SIGNATURE_PLAINTEXT, timestamp="1700000000", nonce="123")
            theirs = client.sign("http://127.0.0.1/MAAS/metadata/latest/")[1]["Authorization"]
            parse = lambda h: dict(p.strip().split("=", 1) for p in h[len("OAuth "):].split(","))
            print(ours); print(theirs); print(parse(ours) == parse(theirs))
            """
        let run = try await Self.python(["-c", script, Self.directory + "/first-boot"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasSuffix("True\n"), "\(run.stdout)")
    }

    @Test func vCenterSettingsAreReadFromVendorData() async throws {
        let script = """
            import sys; sys.path.insert(0, sys.argv[1])
            import esxi_vcenter
            text = "#cloud-config\\nvcenter:\\n  vcenter_server: vc.example\\n  vcenter_username: 'admin@vsphere.local'\\n" \\
                   "  vcenter_password: \\"p:w\\"\\n  vcenter_datacenter: dc1\\nruncmd:\\n  - echo\\n"
            print(sorted(esxi_vcenter.vcenter_settings(text).items()))
            print(esxi_vcenter.vcenter_settings("#cloud-config\\nruncmd: []\\n"))
            """
        let run = try await Self.python(["-c", script, Self.directory + "/first-boot"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stdout
                == "[('vcenter_datacenter', 'dc1'), ('vcenter_password', 'p:w'), ('vcenter_server', 'vc.example'), "
                + "('vcenter_username', 'admin@vsphere.local')]\nNone\n")
    }

    @Test func curtinHooksUnpackTheScriptsWriteTheConfigAndRemoveThemselves() async throws {
        let dir = try Fixtures.makeTemporaryDirectory("ib-curtin-hooks")
        let target = dir + "/target"
        try FileManager.default.createDirectory(atPath: target + "/curtin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.directory + "/curtin/curtin-hooks", toPath: target + "/curtin/curtin-hooks")
        let tar = try await ProcessCapture.run(
            "/bin/tar", ["-cJf", target + "/curtin/scripts.tar.xz", "--transform=s,^first-boot,maas,", "-C", Self.directory, "first-boot"])
        #expect(tar.status == 0, "\(tar.stderr)")
        try Fixtures.write("network:\n  version: 1\n  config: []\ncloudconfig:\n  maas: {content: 'x'}\n", to: dir + "/config.yaml")
        let alt = dir + "/altbootbank"
        try FileManager.default.createDirectory(atPath: alt, withIntermediateDirectories: true)
        let run = try await Self.python([target + "/curtin/curtin-hooks", target, "--config", dir + "/config.yaml", "--into", alt])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileReader.exists(alt + "/maas/first-boot") && FileReader.exists(alt + "/maas/esxi_network.py"))
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: alt + "/maas/curtin.json"))) as? [String: Any]
        #expect((written?["network"] as? [String: Any])?["version"] as? Int == 1)
        let mode = try FileManager.default.attributesOfItem(atPath: alt + "/maas/curtin.json")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(!FileReader.exists(target + "/curtin"))

        // The partition it picks: altbootbank (6) when FAT, else the largest FAT one but the first.
        let pick = """
            import importlib.machinery, sys
            hooks = importlib.machinery.SourceFileLoader("hooks", sys.argv[1]).load_module()
            print(hooks.choose_partition([(1, 4, "vfat"), (5, 100, "vfat"), (6, 100, "vfat"), (8, 9000, "vmfs")]))
            print(hooks.choose_partition([(1, 4, "vfat"), (5, 250, "vfat"), (8, 300, "vfat")]))
            print(hooks.disk_of("/dev/nvme0n1p1"), hooks.disk_of("/dev/sda1"), hooks.partition_device("/dev/nvme0n1", 6))
            """
        let chosen = try await Self.python(["-c", pick, Self.directory + "/curtin/curtin-hooks"])
        #expect(chosen.stdout == "6\n8\n/dev/nvme0n1 /dev/sda /dev/nvme0n1p6\n", "\(chosen.stdout)\(chosen.stderr)")
    }
}
