import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// Acceptance 6 (issue 3): a packer build with a failing step runs the template's
/// error-cleanup provisioner (the RHSM cleanup path), and sensitive variables are masked in
/// packer's normal output. The cleanup commands are the shipped template's, run locally
/// (shell-local) with a recording `subscription-manager` and the marker in a temp folder.
@Suite(.enabled(if: Fixtures.hasTool("packer") || Fixtures.isCI, "needs packer"))
struct ErrorCleanupTests {
    @Test func aFailedBuildUnregistersAndMasksSecrets() async throws {
        let work = try Fixtures.makeTemporaryDirectory("ib-cleanup")
        let marker = work + "/rhsm-registered"
        let calls = work + "/subscription-manager.calls"
        try Fixtures.write("#!/bin/sh\necho \"$*\" >> '\(calls)'\n", to: work + "/bin/subscription-manager", mode: 0o755)

        let shipped = try JSONParser.parse(try #require(Fixtures.read(Fixtures.repoRoot + "/packer/ova/packer-node.json")))
        let cleanupLines = shipped["error-cleanup-provisioner"]?["inline"]?.arrayValue ?? []
        let cleanup = cleanupLines.compactMap(\.stringValue)
        #expect(!cleanup.isEmpty)
        let sensitive = (shipped["sensitive-variables"]?.arrayValue ?? []).compactMap(\.stringValue)
        #expect(sensitive.contains("ssh_password") && sensitive.contains("password"))
        let local = cleanup.map {
            $0.replacingOccurrences(of: "/var/lib/image-builder-rhsm-registered", with: marker).replacingOccurrences(of: "sudo ", with: "")
        }
        func quoted(_ s: String) -> String { VarValue.string(s).display }
        let template = """
            {"variables": {"ssh_password": "{{env `IB_SSH_PASSWORD`}}"},
             "sensitive-variables": ["ssh_password"],
             "builders": [{"type": "null", "communicator": "none"}],
             "provisioners": [
               {"type": "shell-local", "inline": [\(quoted("touch " + marker))]},
               {"type": "shell-local", "inline": ["echo the password is {{user `ssh_password`}}", "exit 3"]}],
             "error-cleanup-provisioner": {"type": "shell-local", "inline": [\(local.map(quoted).joined(separator: ", "))]}}
            """
        try Fixtures.write(template, to: work + "/t.json")
        let r = try await ProcessCapture.run(
            "packer", ["build", "-color=false", "t.json"],
            environment: [
                "PATH": work + "/bin:/usr/bin:/bin", "IB_SSH_PASSWORD": "Very-Secret-42",
                "CHECKPOINT_DISABLE": "1", "HOME": work,
            ],
            workingDirectory: work)
        #expect(r.status != 0)
        #expect(Fixtures.read(calls) == "unregister\nclean\n")
        #expect(!FileReader.exists(marker))
        #expect(r.stdout.contains("error-cleanup: RHSM registration removed"))
        #expect(r.stdout.contains("the password is <sensitive>"))
        #expect(!(r.stdout + r.stderr).contains("Very-Secret-42"))
    }
}
