import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Acceptance 5 (issue 3): the roles that need no Kubernetes package mirror run for real against
/// a Debian bookworm root made with debootstrap (ansible's chroot connection), and their
/// results are checked inside that root. Large: it downloads Debian's base packages.
@Suite(
    .enabled(
        if: (getuid() == 0 && FileReader.isExecutable("/usr/sbin/debootstrap") && Fixtures.hasTool("ansible-playbook"))
            || Fixtures.isCI, "needs root, debootstrap and ansible"))
struct RolesInDebianRootTests {
    static let mirror = "http://deb.debian.org/debian"

    func sh(_ script: String) async throws -> Captured {
        try await ProcessCapture.run("/bin/sh", ["-c", script], environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
    }

    @Test(.timeLimit(.minutes(20)))
    func providersRHSMAndSysprepDoTheirWork() async throws {
        let root = try Fixtures.makeTemporaryDirectory("ib-bookworm")
        let boot = try await ProcessCapture.run(
            "/usr/sbin/debootstrap", ["--variant=minbase", "--include=python3,systemd,openssh-server,sudo", "bookworm", root, Self.mirror],
            environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin"])
        try #require(boot.status == 0, "debootstrap: \(boot.stderr.suffix(2000))")
        defer { _ = try? FileWriter.remove(root) }
        // What an installed system has before the node play: package lists, a resolver, host
        // keys, logs and cloud-init state to clean up, and (test only) a recording stand-in for
        // subscription-manager.
        try Fixtures.write(Fixtures.read("/etc/resolv.conf") ?? "", to: root + "/etc/resolv.conf")
        try Fixtures.write(
            "#!/bin/sh\necho \"$*\" >> /var/tmp/subscription-manager.calls\n",
            to: root + "/usr/sbin/subscription-manager", mode: 0o755)
        try Fixtures.write("boot messages\n", to: root + "/var/log/installer.log")
        try Fixtures.write("{}", to: root + "/var/lib/cloud/instance/obj.pkl")
        try Fixtures.write("0123456789abcdef0123456789abcdef\n", to: root + "/etc/machine-id")
        let update = try await sh("chroot '\(root)' apt-get update -qq && chroot '\(root)' ssh-keygen -A && ls '\(root)'/etc/ssh/ssh_host_*_key")
        try #require(update.status == 0, "\(update.stderr)")

        let ansible = Fixtures.repoRoot + "/ansible"
        let run = try await ProcessCapture.run(
            "ansible-playbook",
            [
                "-i", root + ",", "-c", "community.general.chroot", "-e", "ib_ansible=\(ansible)",
                "-e", "ansible_python_interpreter=/usr/bin/python3",
                // What packer/ova/openstack.json sets for an image published to Glance.
                "-e", "cloudinit_datasources=VMware,OpenStack,ConfigDrive,NoCloud,None",
                Fixtures.repoRoot + "/Tests/Fixtures/ansible/chroot-roles.yml",
            ],
            // The chroot connection hands this PATH to the commands it runs inside the root.
            environment: [
                "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/tmp", "ANSIBLE_CONFIG": ansible + "/ansible.cfg",
                "ANSIBLE_ROLES_PATH": ansible + "/roles", "RHSM_USER": "rhsm-user", "RHSM_PASS": "rhsm-Secret-77",
                "ANSIBLE_NOCOLOR": "1",
            ])
        #expect(run.status == 0, "\(run.stdout.suffix(4000))\(run.stderr.suffix(2000))")
        #expect(!(run.stdout + run.stderr).contains("rhsm-Secret-77"))

        // providers: open-vm-tools installed and enabled, VMware datasource first, then the
        // OpenStack ones cloudinit_datasources adds.
        let vmtools = try await sh("chroot '\(root)' dpkg-query -W -f='${Status}' open-vm-tools")
        #expect(vmtools.stdout == "install ok installed")
        // A link to an absolute path inside the root: test the link itself, not its target.
        #expect(try await sh("test -L '\(root)/etc/systemd/system/multi-user.target.wants/open-vm-tools.service'").status == 0)
        #expect(
            Fixtures.read(root + "/etc/cloud/cloud.cfg.d/99-vmware-guestinfo.cfg")?
                .contains("datasource_list: [ VMware, OpenStack, ConfigDrive, NoCloud, None ]") == true)
        // RHSM: registered with the controller's credentials, then unregistered and cleaned.
        #expect(
            Fixtures.read(root + "/var/tmp/subscription-manager.calls")
                == "register --username=rhsm-user --password=rhsm-Secret-77 --force\nunregister\nclean\n")
        #expect(!FileReader.exists(root + "/var/lib/image-builder-rhsm-registered"))
        // sysprep: no host keys, empty machine-id, no cloud-init state, truncated logs.
        let keys = (FileReader.list(root + "/etc/ssh") ?? []).filter { $0.hasPrefix("ssh_host_") }
        #expect(keys.isEmpty)
        #expect(Fixtures.read(root + "/etc/machine-id") == "")
        #expect(!FileReader.exists(root + "/var/lib/cloud"))
        #expect(Fixtures.read(root + "/var/log/installer.log") == "")
    }
}
