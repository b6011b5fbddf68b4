import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// Issue 12, item 14: with PACKER_LOG=1 and a var file that holds the vCenter password next
/// to a number (so packer reads a string-only copy), no file under output/ holds a secret.
@Suite(.enabled(if: (Fixtures.hasTool("packer") && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI, "needs packer and the built CLI"))
struct SecretsOnDiskTests {
    static let password = "Vc-Pass-On-Disk-7781"
    static let ssh = "Ssh-Pass-On-Disk-5512"

    /// Every file under `directory` whose bytes contain `needle` (or its base64); searched here,
    /// so the secret is handed to no program.
    static func files(containing needle: String, under directory: String) -> [String] {
        let forms = [needle, Data(needle.utf8).base64EncodedString()]
        var found: [String] = []
        var pending = [directory]
        while let folder = pending.popLast() {
            for name in FileReader.list(folder) ?? [] {
                let path = folder + "/" + name
                if FileReader.isDirectory(path) {
                    pending.append(path)
                } else if let text = Fixtures.read(path), forms.contains(where: text.contains) {
                    found.append(path)
                }
            }
        }
        return found
    }

    @Test("a failed build keeps its work directory, and neither its var-file copies nor packer.log hold a secret")
    func failedBuildKeepsNoSecret() async throws {
        let t = try Fixtures.makeOrchestratorRoot(sleep: 0)
        SuiteCaptures.registerSecrets([Self.password, Self.ssh])
        try Fixtures.write(
            "{\"password\": \"\(Self.password)\", \"cpu\": 2, \"test_fail\": \"true\", \"test_echo_secret\": \"true\"}",
            to: t.work + "/vc.json", mode: 0o600)
        let env = [
            "IB_ROOT": t.root, "PATH": "/usr/bin:/bin", "HOME": t.work, "PACKER_LOG": "1", "SSH_PASSWORD": Self.ssh,
            "PACKER_VAR_FILES": t.varFile + " " + t.work + "/vc.json",
        ]
        let r = try await ProcessCapture.run(Fixtures.binary, ["build", "node-ova-local-ubuntu-2404"], environment: env, workingDirectory: t.work)
        #expect(r.status == 1)
        let work = try #require(FileReader.list(t.root + "/output/.work")?.first.map { t.root + "/output/.work/" + $0 })
        let log = try #require(Fixtures.read(work + "/packer.log"))
        #expect(!log.isEmpty, "PACKER_LOG=1 wrote packer's log")
        let copies = (FileReader.list(work + "/var-files") ?? []).compactMap { Fixtures.read(work + "/var-files/" + $0) }
        #expect(copies.contains { $0.contains("\"cpu\": \"2\"") }, "the number-holding file went through a string-only copy")
        for secret in [Self.password, Self.ssh] {
            #expect(Self.files(containing: secret, under: t.root + "/output").isEmpty, "a secret is on disk under output/")
        }
        #expect(!r.stdout.contains(Self.password) && !r.stderr.contains(Self.password))
    }

    @Test("a successful build leaves no work directory behind")
    func successRemovesTheWorkDirectory() async throws {
        let t = try Fixtures.makeOrchestratorRoot(sleep: 0)
        let env = ["IB_ROOT": t.root, "PATH": "/usr/bin:/bin", "HOME": t.work, "PACKER_LOG": "1", "PACKER_VAR_FILES": t.varFile]
        let r = try await ProcessCapture.run(Fixtures.binary, ["build", "node-ova-local-ubuntu-2404"], environment: env, workingDirectory: t.work)
        #expect(r.status == 0, "\(r.stderr.suffix(1500))")
        #expect((FileReader.list(t.root + "/output/.work") ?? []).isEmpty)
    }
}
