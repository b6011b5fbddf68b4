import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// `openstack publish` against a real Keystone 30 and Glance 33 on loopback, with OVAs from real
/// simulator builds (issue 13). Each test has a project of its own; images are read back by an
/// independent reader (Tests/Fixtures/glance_images.py).
@Suite(
    .enabled(
        if: (OpenStackCloud.available && SimulatorFixture.available && Fixtures.hasTool("packer") && Fixtures.hasTool("qemu-img")
            && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI,
        "needs make test-deps (Keystone, Glance), go, packer, qemu-img"))
struct OpenStackPublishTests {
    /// One repository copy with ubuntu-2404 (BIOS) and ubuntu-2404-efi built on the simulator.
    static let built = Task<String, any Error> {
        let root = try Fixtures.makeRepoCopy()
        let simulator = try await SimulatorFixture.start(in: root)
        defer { Task { await simulator.stop() } }
        let build = try await make(
            root, ["-j2", "build-node-ova-vsphere-ubuntu-2404", "build-node-ova-vsphere-ubuntu-2404-efi"], environment: [:], simulator: true)
        guard build.status == 0 else { throw BuildFailed(output: String(build.stdout.suffix(3000)) + String(build.stderr.suffix(2000))) }
        return root
    }

    struct BuildFailed: Error { let output: String }

    static let output = "/output/ubuntu-2404-kube-v1.36.1"
    static let ova = output + "/ubuntu-2404-kube-v1.36.1.ova"

    static func make(_ root: String, _ arguments: [String], environment: [String: String], simulator: Bool = false) async throws -> Captured {
        var env = environment
        env.merge(["PATH": "/usr/bin:/bin", "HOME": root, "IB_BIN": Fixtures.binary, "IB_ROOT": root]) { given, _ in given }
        let prefix = simulator ? "eval \"$(\"$IB_BIN\" sim env)\" && " : ""
        return try await ProcessCapture.run(
            "/bin/sh", ["-c", prefix + "exec make --no-print-directory \"$@\"", "sh"] + arguments, environment: env, workingDirectory: root)
    }

    static func publish(_ root: String, _ arguments: [String], environment: [String: String]) async throws -> Captured {
        var env = environment
        env.merge(["PATH": "/usr/bin:/bin", "HOME": root, "IB_ROOT": root]) { given, _ in given }
        return try await ProcessCapture.run(Fixtures.binary, ["openstack", "publish"] + arguments, environment: env, workingDirectory: root)
    }

    /// sha512 of `size` bytes of `path` from `offset`, and the tar member of that name (python's tarfile).
    static func sha512(_ path: String, member: String? = nil) async throws -> String {
        let script =
            "import hashlib,sys,tarfile\nh=hashlib.sha512()\n"
            + "f=tarfile.open(sys.argv[1]).extractfile(sys.argv[2]) if len(sys.argv)>2 else open(sys.argv[1],'rb')\n"
            + "for b in iter(lambda: f.read(1<<20), b''): h.update(b)\nprint(h.hexdigest())"
        let run = try await ProcessCapture.run("/usr/bin/python3", ["-c", script, path] + (member.map { [$0] } ?? []))
        return run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func strings(_ image: [String: Any]) -> [String: String] { image.compactMapValues { $0 as? String } }

    @Test(.timeLimit(.minutes(10)))
    func bareAndOVAEndActiveWithTheDerivedPropertiesAndChecks() async throws {
        let root = try await Self.built.value
        let (cloud, project) = try await OpenStackCloud.project()
        let environment = cloud.passwordEnvironment(project)

        let bare = try await Self.publish(root, [root + Self.output], environment: environment)
        #expect(bare.status == 0, "\(bare.stderr)")
        #expect(bare.stderr.contains("uploading: 100%"))
        let ova = try await Self.publish(root, [root + Self.ova, "--container", "ova", "--name", "node-ova"], environment: environment)
        #expect(ova.status == 0, "\(ova.stderr)")

        let images = try await cloud.images(project).map(Self.strings)
        try #require(images.count == 2)
        let sha256 = (Fixtures.read(root + Self.ova + ".sha256") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let expected: [String: String] = [
            "vmware_disktype": "streamOptimized", "vmware_adaptertype": "paraVirtual", "vmware_ostype": "ubuntu64Guest",
            "hw_vif_model": "vmxnet3", "hypervisor_type": "vmware", "os_type": "linux", "os_distro": "ubuntu", "os_version": "24.04",
            "architecture": "x86_64", "kubernetes_version": "v1.36.1", "image_builder_ova_sha256": sha256, "disk_format": "vmdk",
            "status": "active", "os_hash_algo": "sha512",
        ]
        let bareImage = try #require(images.first { $0["container_format"] == "bare" })
        let ovaImage = try #require(images.first { $0["container_format"] == "ova" })
        for (key, value) in expected {
            #expect(bareImage[key] == value, "bare \(key)")
            #expect(ovaImage[key] == value, "ova \(key)")
        }
        #expect(bareImage["hw_firmware_type"] == nil)
        #expect(bareImage["name"] == "ubuntu-2404-kube-v1.36.1" && ovaImage["name"] == "node-ova")
        // Glance's sha512 is the disk member's (bare) and the whole OVA's (ova), computed here apart.
        let diskName = "ubuntu-2404-kube-v1.36.1-disk-0.vmdk"
        #expect(bareImage["os_hash_value"] == (try await Self.sha512(root + Self.ova, member: diskName)))
        #expect(ovaImage["os_hash_value"] == (try await Self.sha512(root + Self.ova)))
        // virtual_size: what Glance read from the VMDK equals the OVF's capacity (disk_size 20480 MiB).
        let raw = try await cloud.images(project)
        #expect(raw.first { ($0["container_format"] as? String) == "bare" }?["virtual_size"] as? Int == 20480 << 20)

        // The EFI build says so.
        let efi = try await Self.publish(root, [root + "/output/ubuntu-2404-efi-kube-v1.36.1"], environment: environment)
        #expect(efi.status == 0, "\(efi.stderr)")
        let efiImage = try #require(try await cloud.images(project).map(Self.strings).first { $0["name"] == "ubuntu-2404-efi-kube-v1.36.1" })
        #expect(efiImage["hw_firmware_type"] == "uefi" && efiImage["vmware_adaptertype"] == "paraVirtual")
        #expect(!(bare.stdout + bare.stderr + ova.stderr).contains(project.password))
    }

    @Test(.timeLimit(.minutes(10)))
    func cloudsYAMLEnvironmentAndApplicationCredentialEachWork() async throws {
        let root = try await Self.built.value
        // clouds.yaml in ~/.config/openstack with the password in secure.yaml beside it.
        let (cloud, project) = try await OpenStackCloud.project()
        let home = try Fixtures.makeTemporaryDirectory("ib-os-home")
        try Fixtures.write(
            """
            clouds:
              ibtest:
                auth:
                  auth_url: \(cloud.authURL)
                  username: \(project.user)
                  project_name: \(project.name)
                  user_domain_name: Default
                  project_domain_name: Default
                region_name: RegionOne
                interface: public
                identity_api_version: 3
            """, to: home + "/.config/openstack/clouds.yaml")
        try Fixtures.write("clouds:\n  ibtest:\n    auth:\n      password: \(project.password)\n", to: home + "/.config/openstack/secure.yaml")
        let viaYAML = try await Self.publish(root, [root + Self.ova], environment: ["OS_CLOUD": "ibtest", "HOME": home])
        #expect(viaYAML.status == 0, "\(viaYAML.stderr)")
        #expect(try await cloud.images(project).count == 1)
        // A cloud clouds.yaml does not have: exit 2 naming the file and the key.
        let missing = try await Self.publish(root, [root + Self.ova], environment: ["OS_CLOUD": "nope", "HOME": home])
        #expect(missing.status == 2 && missing.stderr.contains("clouds.yaml: clouds.nope: no such cloud"), "\(missing.stderr)")

        // An application credential (it carries its project) from the environment.
        let (_, other) = try await OpenStackCloud.project()
        let viaCredential = try await Self.publish(
            root, [root + Self.ova],
            environment: [
                "OS_AUTH_URL": cloud.authURL, "OS_AUTH_TYPE": "v3applicationcredential",
                "OS_APPLICATION_CREDENTIAL_ID": other.applicationCredentialID,
                "OS_APPLICATION_CREDENTIAL_SECRET": other.applicationCredentialSecret,
            ])
        #expect(viaCredential.status == 0, "\(viaCredential.stderr)")
        #expect(try await cloud.images(other).count == 1)

        // A token and Glance's endpoint, no Keystone.
        let (_, third) = try await OpenStackCloud.project()
        let token = try await cloud.token(third)
        let viaToken = try await Self.publish(root, [root + Self.ova], environment: ["OS_ENDPOINT": cloud.glance, "OS_TOKEN": token])
        #expect(viaToken.status == 0, "\(viaToken.stderr)")
        #expect(try await cloud.images(third).count == 1)
        for run in [viaYAML, viaCredential, viaToken] {
            #expect(![project.password, other.applicationCredentialSecret, token].contains { (run.stdout + run.stderr).contains($0) })
        }
    }

    @Test(.timeLimit(.minutes(10)))
    func aWrongPasswordIsExit3NamingKeystoneAndA415LeavesNoImage() async throws {
        let root = try await Self.built.value
        let (cloud, project) = try await OpenStackCloud.project()
        var environment = cloud.passwordEnvironment(project)
        environment["OS_PASSWORD"] = "wrong-\(project.password.prefix(8))-x"
        let refused = try await Self.publish(root, [root + Self.ova], environment: environment)
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("Keystone") && refused.stderr.contains("refused the credentials"))
        #expect(!refused.stderr.contains(environment["OS_PASSWORD"]!))

        // A disk whose header is streamOptimized but whose descriptor is not: Glance 33's
        // inspection answers 415; the queued image is deleted again.
        let folder = try Fixtures.makeTemporaryDirectory("ib-bad-ova")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: root + Self.ova))
        let from = Data("createType=\"streamOptimized\"".utf8)
        let range = try #require(bytes.range(of: from))
        bytes.replaceSubrange(range, with: Data("createType=\"monolithicFlat\" ".utf8))
        try bytes.write(to: URL(fileURLWithPath: folder + "/bad.ova"))
        let rejected = try await Self.publish(root, [folder + "/bad.ova"], environment: cloud.passwordEnvironment(project))
        #expect(rejected.status == 1, "\(rejected.stderr)")
        #expect(rejected.stderr.contains("Glance answered 415"), "\(rejected.stderr)")
        #expect(rejected.stderr.contains("deleted after the failed upload"))
        #expect(try await cloud.images(project).isEmpty)
    }

    @Test(.timeLimit(.minutes(10)))
    func aSecondPublishUploadsNothingAndReplaceLeavesOne() async throws {
        let root = try await Self.built.value
        let (cloud, project) = try await OpenStackCloud.project()
        let environment = cloud.passwordEnvironment(project)
        let first = try await Self.publish(root, [root + Self.ova], environment: environment)
        #expect(first.status == 0, "\(first.stderr)")
        let firstID = try #require(try await cloud.images(project).first?["id"] as? String)

        let second = try await Self.publish(root, [root + Self.ova], environment: environment)
        #expect(second.status == 0 && second.stderr.contains("nothing uploaded") && !second.stderr.contains("uploading:"), "\(second.stderr)")
        #expect(second.stdout.contains(firstID))
        #expect(try await cloud.images(project).count == 1)

        let replaced = try await Self.publish(root, [root + Self.ova, "--replace", "--property", "img_linked_clone=false"], environment: environment)
        #expect(replaced.status == 0, "\(replaced.stderr)")
        let after = try await cloud.images(project).map(Self.strings)
        #expect(after.count == 1)
        #expect(after.first?["id"] != firstID && after.first?["img_linked_clone"] == "false" && after.first?["status"] == "active")
    }

    @Test(.timeLimit(.minutes(10)))
    func makePublishAllWithJ2PublishesEachBuiltOSOnce() async throws {
        let root = try await Self.built.value
        let (cloud, project) = try await OpenStackCloud.project()
        let environment = cloud.passwordEnvironment(project)
        let all = try await Self.make(root, ["-j2", "publish-node-ova-openstack-all"], environment: environment)
        #expect(all.status == 0, "\(all.stdout.suffix(2000))\(all.stderr.suffix(2000))")
        var names = try await cloud.images(project).compactMap { $0["name"] as? String }.sorted()
        #expect(names == ["ubuntu-2404-efi-kube-v1.36.1", "ubuntu-2404-kube-v1.36.1"])
        let again = try await Self.make(root, ["-j2", "publish-node-ova-openstack-all"], environment: environment)
        #expect(again.status == 0 && again.stdout.components(separatedBy: "(already there)").count == 3, "\(again.stdout)")
        names = try await cloud.images(project).compactMap { $0["name"] as? String }
        #expect(names.count == 2)

        // An OS that was not built: exit 2 naming the build to run first; nothing was asked of the cloud.
        let unbuilt = try await Self.make(root, ["publish-node-ova-openstack-photon-5"], environment: environment)
        #expect(unbuilt.status == 2, "\(unbuilt.stderr)")
        #expect(unbuilt.stderr.contains("build-node-ova-vsphere-photon-5"))
    }

    @Test(.timeLimit(.minutes(10)))
    func anInterruptedUploadDeletesTheImageItCreatedAndExits130() async throws {
        let root = try await Self.built.value
        let (cloud, project) = try await OpenStackCloud.project()
        let token = try await cloud.token(project)
        // Glance through a proxy that takes the upload's bytes slowly: the upload is still running
        // when SIGINT arrives.
        let folder = try Fixtures.makeTemporaryDirectory("ib-slow-glance")
        let proxy = Task {
            try await SubprocessRunner(grace: .seconds(1)).run(
                ProcessCommand(
                    executable: "/usr/bin/python3", arguments: [Fixtures.repoRoot + "/Tests/Fixtures/slow_proxy.py", cloud.glance, folder],
                    environment: ["PATH": "/usr/bin:/bin"], workingDirectory: folder)
            ) { _, _ in }
        }
        defer { proxy.cancel() }
        for _ in 0..<200 where !FileReader.exists(folder + "/port") { try await Task.sleep(for: .milliseconds(25)) }
        let port = try #require(Fixtures.read(folder + "/port"))
        let pidFile = folder + "/pid"
        async let run = ProcessCapture.run(
            "/bin/sh", ["-c", "echo $$ > \"$1\"; shift; exec \"$@\"", "sh", pidFile, Fixtures.binary, "openstack", "publish", root + Self.ova],
            environment: ["PATH": "/usr/bin:/bin", "HOME": root, "OS_ENDPOINT": "http://127.0.0.1:\(port)", "OS_TOKEN": token])
        var uploading = false
        for _ in 0..<600 where !uploading {
            try await Task.sleep(for: .milliseconds(50))
            uploading = (Fixtures.read(folder + "/requests.log") ?? "").contains("/file")
        }
        try #require(uploading, "the upload never started")
        let pid = try #require(Int32((Fixtures.read(pidFile) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(kill(pid, SIGINT) == 0)
        let result = try await run
        #expect(result.status == 130, "\(result.stderr)")
        #expect(result.stderr.contains("interrupted") && result.stderr.contains("was deleted"), "\(result.stderr)")
        #expect((Fixtures.read(folder + "/requests.log") ?? "").contains("DELETE /v2/images/"))
        #expect(try await cloud.images(project).isEmpty)
    }

    @Test(.timeLimit(.minutes(10)))
    func tlsIsVerifiedAgainstTheGivenCAAndInsecureIsWarnedOnce() async throws {
        let root = try await Self.built.value
        let (cloud, project) = try await OpenStackCloud.project()
        var environment = cloud.passwordEnvironment(project)
        environment["OS_AUTH_URL"] = cloud.tlsAuthURL
        let untrusted = try await Self.publish(root, [root + Self.ova], environment: environment)
        #expect(untrusted.status == 3 && untrusted.stderr.contains("not trusted"), "\(untrusted.stderr)")
        #expect(try await cloud.images(project).isEmpty)

        environment["OS_CACERT"] = cloud.caFile
        let trusted = try await Self.publish(root, [root + Self.ova], environment: environment)
        #expect(trusted.status == 0 && !trusted.stderr.contains("not verified"), "\(trusted.stderr)")
        #expect(try await cloud.images(project).count == 1)

        environment["OS_CACERT"] = nil
        environment["OS_INSECURE"] = "true"
        let insecure = try await Self.publish(root, [root + Self.ova], environment: environment)
        #expect(insecure.status == 0, "\(insecure.stderr)")
        #expect(insecure.stderr.components(separatedBy: "are not verified").count == 2, "\(insecure.stderr)")
    }

    @Test(.timeLimit(.minutes(10)))
    func aControllerNovaCannotUseIsExit2BeforeAnyUpload() async throws {
        let root = try await Self.built.value
        let folder = try Fixtures.makeTemporaryDirectory("ib-sata-ova")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: root + Self.ova))
        let range = try #require(bytes.range(of: Data("<rasd:ResourceSubType>VirtualSCSI<".utf8)))
        bytes.replaceSubrange(range, with: Data("<rasd:ResourceSubType>sata       <".utf8))
        try bytes.write(to: URL(fileURLWithPath: folder + "/sata.ova"))
        // No cloud is configured at all: the OVA is refused first.
        let run = try await Self.publish(root, [folder + "/sata.ova"], environment: [:])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("disk controller 'sata' cannot be used by Nova's VMware driver"), "\(run.stderr)")
    }
}
