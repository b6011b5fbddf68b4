import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// Issue 3's content, each checked by a real tool.
@Suite struct ContentTests {
    static let playbooks = (FileReader.list(Fixtures.repoRoot + "/ansible") ?? []).filter { $0.hasSuffix(".yml") }.sorted()

    @Test func thereArePlaybooks() { #expect(Self.playbooks == ["firstboot.yml", "node.yml", "windows.yml"]) }

    @Test(.enabled(if: Fixtures.hasTool("ansible-playbook") || Fixtures.isCI, "needs ansible"), arguments: playbooks)
    func playbookPassesSyntaxCheck(_ playbook: String) async throws {
        let r = try await ProcessCapture.run(
            "ansible-playbook", ["--syntax-check", "-i", "localhost,", playbook],
            environment: ["PATH": "/usr/bin:/bin", "ANSIBLE_CONFIG": "./ansible.cfg", "HOME": "/tmp"],
            workingDirectory: Fixtures.repoRoot + "/ansible")
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    @Test(.enabled(if: Fixtures.hasToolsVenv || Fixtures.isCI, "needs make test-deps"))
    func ansibleLintPasses() async throws {
        let r = try await ProcessCapture.run(
            Fixtures.toolsVenv + "/bin/ansible-lint", ["--offline", "--nocolor", "firstboot.yml", "node.yml", "windows.yml", "roles"],
            environment: [
                "PATH": Fixtures.toolsVenv + "/bin:/usr/bin:/bin", "HOME": "/tmp", "ANSIBLE_LINT_SKIP_VERSION_CHECK": "1",
                "ANSIBLE_CONFIG": "./ansible.cfg",
                // Debian's ansible has the ansible.windows and community.windows collections the Windows roles use.
                "ANSIBLE_COLLECTIONS_PATH": "/usr/lib/python3/dist-packages",
            ],
            workingDirectory: Fixtures.repoRoot + "/ansible")
        #expect(r.status == 0, "\(r.stdout.suffix(4000))\(r.stderr.suffix(2000))")
    }

    /// Renders one OS's seed folder with a real SHA-512 crypt hash.
    static func render(_ seedDirectory: String) async throws -> String {
        let out = try Fixtures.makeTemporaryDirectory("ib-seed")
        let seed = try SeedFiles.plan(
            seedDirectory: seedDirectory, layout: RepoLayout(root: Fixtures.repoRoot),
            workDirectory: out, osFile: "test")
        let hash = try await PasswordHasher.sha512Crypt(Secret("correct horse battery"), processes: SubprocessRunner.helper)
        try seed.render(
            into: seed.destination,
            values: [
                "ENCRYPTED_SSH_PASSWORD": hash.value, "SSH_USERNAME": "builder",
                "HOSTNAME": "ubuntu-2404",
            ])
        return seed.destination
    }

    static func validateSchema(_ schema: String, _ document: String) async throws -> Captured {
        try await ProcessCapture.run(
            Fixtures.toolsVenv + "/bin/python",
            [
                Fixtures.repoRoot + "/Tests/Fixtures/validate_schema.py",
                Fixtures.repoRoot + "/Tests/Fixtures/schemas/" + schema, document,
            ])
    }

    @Test(.enabled(if: (Fixtures.hasTool("cloud-init") && Fixtures.hasToolsVenv) || Fixtures.isCI, "needs make test-deps"))
    func ubuntuAutoinstallPassesCloudInitSchemaAndTheKeySchema() async throws {
        let dir = try await Self.render("packer/ova/linux/ubuntu/autoinstall")
        let schema = try await ProcessCapture.run(
            "cloud-init", ["schema", "--config-file", dir + "/user-data"],
            environment: ["PATH": "/usr/bin:/bin"])
        #expect(schema.status == 0, "\(schema.stdout)\(schema.stderr)")
        let keys = try await Self.validateSchema("autoinstall.schema.json", dir + "/user-data")
        #expect(keys.status == 0, "\(keys.stdout)")
    }

    @Test(.enabled(if: Fixtures.hasToolsVenv || Fixtures.isCI, "needs make test-deps"))
    func kickstartPassesKsvalidator() async throws {
        let dir = try await Self.render("packer/ova/linux/el/9")
        let r = try await ProcessCapture.run(Fixtures.toolsVenv + "/bin/ksvalidator", ["-v", "RHEL9", dir + "/ks.cfg"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }

    @Test(.enabled(if: Fixtures.hasToolsVenv || Fixtures.isCI, "needs make test-deps"))
    func photonAndFlatcarConfigsPassTheirSchemas() async throws {
        for release in ["4", "5"] {
            let photon = try await Self.validateSchema(
                "photon-ks.schema.json", try await Self.render("packer/ova/linux/photon/" + release) + "/ks.json")
            #expect(photon.status == 0, "photon \(release): \(photon.stdout)")
        }
        let flatcar = try await Self.validateSchema("ignition.schema.json", try await Self.render("packer/ova/linux/flatcar") + "/ignition.json")
        #expect(flatcar.status == 0, "\(flatcar.stdout)")
    }

    /// Debian 12 and 13 (issue 17): the rendered preseed passes debconf's own parser, holds the
    /// crypt hash and no placeholder, and a line without a type and value is refused by it.
    @Test(.enabled(if: Fixtures.hasTool("debconf-set-selections") || Fixtures.isCI, "needs debconf"))
    func debianPreseedPassesDebconfSetSelections() async throws {
        let file = try await Self.render("packer/ova/linux/debian/preseed") + "/preseed.cfg"
        let check = try await ProcessCapture.run("/usr/bin/debconf-set-selections", ["--checkonly", file])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let text = try #require(Fixtures.read(file))
        #expect(text.contains("d-i passwd/user-password-crypted password $6$") && !text.contains("@SSH_USERNAME@"))
        #expect(text.contains("d-i passwd/root-login boolean false"))
        try Fixtures.write(text + "d-i passwd/username\n", to: file)
        let broken = try await ProcessCapture.run("/usr/bin/debconf-set-selections", ["--checkonly", file])
        #expect(broken.status != 0 && broken.stderr.contains("parse error"), "\(broken.stderr)")
    }

    @Test(.enabled(if: Fixtures.hasToolsVenv || Fixtures.isCI, "needs make test-deps"))
    func aBrokenSeedIsRejected() async throws {
        let dir = try await Self.render("packer/ova/linux/flatcar")
        let text = try #require(Fixtures.read(dir + "/ignition.json")).replacingOccurrences(of: "3.3.0", with: "2.0.0")
        try Fixtures.write(text, to: dir + "/ignition.json")
        #expect(try await Self.validateSchema("ignition.schema.json", dir + "/ignition.json").status == 1)
    }

    /// The cloudinit/ test data: the key pair is made on first use, in a folder git ignores, and
    /// the rendered user-data is valid cloud-config holding that key.
    @Test(.enabled(if: (Fixtures.hasTool("ssh-keygen") && Fixtures.hasTool("cloud-init")) || Fixtures.isCI, "needs ssh-keygen, cloud-init"))
    func cloudinitKeysAreGeneratedIgnoredAndUsed() async throws {
        let root = try Fixtures.makeRepoCopy()
        try FileManagerCopy.copy(Fixtures.repoRoot + "/cloudinit", to: root + "/cloudinit")
        try? FileWriter.remove(root + "/cloudinit/.keys")
        let r = try await ProcessCapture.run("sh", [root + "/hack/cloudinit-key.sh"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == root + "/cloudinit/.keys\n")
        let publicKey = try #require(Fixtures.read(root + "/cloudinit/.keys/id_ed25519.pub")).trimmingCharacters()
        #expect(Fixtures.read(root + "/cloudinit/.keys/user-data")?.contains(publicKey) == true)
        #expect(try FileManagerMode.of(root + "/cloudinit/.keys/id_ed25519") == 0o600)
        let schema = try await ProcessCapture.run("cloud-init", ["schema", "--config-file", root + "/cloudinit/.keys/user-data"])
        #expect(schema.status == 0, "\(schema.stdout)\(schema.stderr)")
        let ignored = try await ProcessCapture.run("git", ["-C", Fixtures.repoRoot, "check-ignore", "-q", "cloudinit/.keys/id_ed25519"])
        #expect(ignored.status == 0)
    }

    /// Acceptance 7: no private key is ever committed.
    @Test(.enabled(if: FileReader.isDirectory(Fixtures.repoRoot + "/.git")))
    func noPrivateKeyIsTracked() async throws {
        let files = try await ProcessCapture.run("git", ["-C", Fixtures.repoRoot, "ls-files", "-z"])
        var offenders: [String] = []
        for path in files.stdout.split(separator: "\0") {
            guard let text = Fixtures.read(Fixtures.repoRoot + "/" + path) else { continue }
            if text.contains("-----BEGIN " + "OPENSSH PRIVATE KEY-----") || text.contains(/-----BEGIN (RSA |EC |DSA )?PRIVATE KEY-----/) {
                offenders.append(String(path))
            }
        }
        #expect(offenders.isEmpty)
    }
}
