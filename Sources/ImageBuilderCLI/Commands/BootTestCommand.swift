import ArgumentParser
import ImageBuilderKit

/// Boots an image on this host and checks it came up as a node (issue 20's boot test).
struct BootTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boot-test",
        abstract: "Boot an image under qemu with a NoCloud seed and check the guest over SSH.",
        discussion: """
            IMAGE is a build target (build-node-ova-<family>-<os>: its output folder), a build's output folder (its OVA), \
            an OVA (its first disk, read in place), or a disk (raw, qcow2 or VMDK). It is never written: the guest writes to an overlay. The image boots with its own boot loader unless \
            --kernel is given. The guest's only network is a \
            loopback SSH forward. KVM when it really works here, else software emulation (IB_ACCELERATOR=kvm|tcg decides). \
            Each check is a line; exit 1 if one fails or the guest never answers SSH (its console's last lines are shown).
            """)

    @Argument(help: ArgumentHelp("A build target, an output folder, an OVA or a disk.", valueName: "IMAGE")) var disk: String
    @Option(
        name: .customLong("var-file"),
        help: ArgumentHelp("For a build target: a var file for one OS only, as for build (repeatable).", valueName: "OS=FILE"))
    var varFiles: [String] = []
    @Option(help: "A kernel to boot directly (a disk without a boot loader).") var kernel: String?
    @Option(help: "Its initrd.") var initrd: String?
    @Option(help: "Its command line.") var append: String?
    @Option(help: ArgumentHelp("How long the guest may take to answer SSH, in seconds.", valueName: "SECONDS")) var sshTimeout = 900
    @Option(help: "The machine-id the build left; the booted guest must have another.") var buildMachineID: String?

    func validate() throws {
        if sshTimeout < 1 { throw ValidationError("--ssh-timeout takes a number of seconds, 1 or more") }
    }

    func run() async throws {
        let context = CommandContext.current
        let env = context.environment
        let tools = try BootTestTools.locate(env, processes: context.helperRunner)
        let accelerator = try Accelerator.choose(env)
        var image = env.absolute(disk)
        // A build target (not a path that exists): the output folder its build writes.
        if !FileReader.exists(image), disk.hasPrefix("node-ova-") || disk.hasPrefix("build-node-ova-") {
            let planner = try Planner(environment: env, varFileOptions: varFiles)
            image = try planner.single(disk).0.outputDirectory
        }
        var request = BootTestRequest(disk: image)
        request.kernel = kernel.map(env.absolute)
        request.initrd = initrd.map(env.absolute)
        request.append = append
        request.sshLimit = .seconds(sshTimeout)
        request.buildMachineID = buildMachineID
        for path in [request.kernel, request.initrd].compactMap({ $0 }) where !FileReader.exists(path) {
            throw BootTestError.input(path: path, reason: "no such file")
        }
        let work = env.absolute("output/.work")
        try FileWriter.makeDirectory(work, mode: 0o700)
        let tester = BootTester(tools: tools, accelerator: accelerator, workRoot: work) { context.errors.line("boot-test: " + $0) }
        let report = try await tester.run(request)
        for check in report.checks {
            context.output.line("\(check.passed ? "PASS" : "FAIL")  \(check.name): \(check.detail)")
        }
        let order = ["boot to SSH", "cloud-init", "checks", "power off"]
        context.output.line(
            "timings (\(report.accelerator)): " + order.map { "\($0) \(Double(Int((report.timings[$0] ?? 0) * 10)) / 10) s" }.joined(separator: ", "))
        if !report.passed { throw ExitCode(1) }
    }
}
