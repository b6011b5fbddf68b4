import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// Acceptance 5 (issue 4): `-on-error=ask` through a real pseudo-terminal driving the
/// orchestrator (pexpect, as a user at a terminal): two failing builds each ask; the prompts
/// come from packer, one at a time, and each answer reaches the build that asked.
@Suite(
    .enabled(
        if: (Fixtures.hasTool("packer") && Fixtures.hasToolsVenv && FileReader.isExecutable(Fixtures.binary))
            || Fixtures.isCI, "needs packer, make test-deps and the built CLI"))
struct AskModeTests {
    @Test func twoFailingBuildsAskInTurnAndEachAnswerReachesItsBuild() async throws {
        let t = try Fixtures.makeOrchestratorRoot(sleep: 0)
        try Fixtures.write("{\"test_fail\": \"true\"}", to: t.work + "/fail.json")
        let r = try await ProcessCapture.run(
            Fixtures.toolsVenv + "/bin/python",
            [
                Fixtures.repoRoot + "/Tests/Fixtures/ask_driver.py", Fixtures.binary, t.work, "ubuntu-2404=a", "photon-5=c", "--",
                "node-ova-local-ubuntu-2404", "node-ova-local-photon-5", "-j", "2",
            ],
            environment: [
                "IB_ROOT": t.root, "PATH": "/usr/bin:/bin", "HOME": t.work, "TERM": "xterm", "ON_ERROR_ASK": "1",
                "PACKER_VAR_FILES": t.varFile + " " + t.work + "/fail.json",
            ])
        #expect(r.status == 0, "\(r.stderr)")
        let seen = try JSONParser.parse(r.stdout)
        let prompts = try #require(seen["prompts"]?.arrayValue)
        #expect(prompts.count == 2)
        #expect(
            Set(prompts.compactMap { $0["target"]?.stringValue })
                == ["build-node-ova-local-ubuntu-2404", "build-node-ova-local-photon-5"])
        for prompt in prompts {
            #expect(prompt["prompt"]?.stringValue?.contains("[c] Clean up and exit, [a] abort without cleanup") == true)
        }
        #expect(seen["exit"] == .number("1"))
        let aborted = try #require(Fixtures.read(t.root + "/output/logs/node-ova-local-ubuntu-2404.log"))
        let cleaned = try #require(Fixtures.read(t.root + "/output/logs/node-ova-local-photon-5.log"))
        #expect(aborted.contains("aborted: skipping cleanup") && !aborted.contains("Running the cleanup provisioner"))
        #expect(cleaned.contains("Running the cleanup provisioner") && !cleaned.contains("aborted: skipping cleanup"))
    }
}
