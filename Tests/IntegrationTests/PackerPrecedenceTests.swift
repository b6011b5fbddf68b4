import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// Acceptance 3: real packer, run with the planned argv (build-only flags removed, `console`
/// instead of `build`), agrees with the documented precedence.
@Suite(.enabled(if: Fixtures.hasTool("packer") || Fixtures.isCI, "needs packer (make deps-ova)"))
struct PackerPrecedenceTests {
    @Test func packerConsoleAgreesWithThePlanAndTheLayering() async throws {
        let work = try Fixtures.makeTemporaryDirectory()
        // PACKER_VAR_FILES over the OS file: os_display_name; -var over all: memory.
        try Fixtures.write(
            "{\"os_display_name\": \"From PACKER_VAR_FILES\", \"memory\": \"999\", \"vmx_version\": \"19\"}",
            to: work + "/dir with space/user.json")
        let env = RunEnvironment(
            variables: [
                "IB_ROOT": Fixtures.repoRoot, "PACKER_BIN": "packer", "PATH": "/usr/bin:/bin",
                "PACKER_VAR_FILES": "dir\\ with\\ space/user.json",
                "PACKER_FLAGS": "-var memory=1234 -on-error=abort", "ON_ERROR_ASK": "1", "DEBUG": "1",
            ], workingDirectory: work)
        let planner = try Planner(environment: env)
        let (plan, vars) = try planner.plan(Target(family: .vsphere, os: "ubuntu-2404-efi"), verb: .build)
        var argv = plan.packer.arguments
        #expect(argv.contains("-on-error=ask") && argv.contains("-debug") && argv.contains("-color=true"))
        argv[1] = "console"
        argv = argv.filter { !PackerFlags.isBuildOnly($0) }
        let expressions = ["os_display_name", "firmware", "memory", "vmx_version", "cpu", "output_dir"]
        // packer console evaluates the last line of a non-terminal stdin: one line, "|" between.
        let input = expressions.map { "{{user `\($0)`}}" }.joined(separator: "|") + "\n"
        let result = try await ProcessCapture.run(argv[0], Array(argv.dropFirst()), workingDirectory: plan.packer.workingDirectory, input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").joined().split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        #expect(
            lines == [
                "From PACKER_VAR_FILES",  // PACKER_VAR_FILES over the OS file
                "efi",  // the OS file over packer-common.json (bios)
                "1234",  // -var over every file (PACKER_VAR_FILES says 999)
                "19",  // PACKER_VAR_FILES over packer-common.json
                "4",  // packer-common.json over the template default
                "./output/ubuntu-2404-efi-kube-v1.36.1",
            ])
        // And the orchestrator's own model says the same.
        #expect(expressions.map { vars.value($0) } == lines)
    }
}
