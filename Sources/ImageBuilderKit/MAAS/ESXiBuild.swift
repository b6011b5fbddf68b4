public import ImageBuilderBasics
public import ImageBuilderPacker
public import ImageBuilderPlanning

/// Runs one MAAS ESXi image build: the kickstart stick, packer's qemu builder (the installer
/// powers off in %post), the curtin hooks onto partition 1, then the `.dd.gz` and its `.sha256`
/// in one pass. Its work directory is its own; the output directory is held by one run at a time.
package struct ESXiBuild: Sendable {
    /// packer's runner (its own process group; stopped on SIGINT/SIGTERM).
    package let processes: any ProcessRunning
    package let tools: ESXiTools
    package let environment: RunEnvironment
    package let runID: String
    /// A stage starting ("running the installer (packer)", "compressing the disk").
    package let stage: @Sendable (String) -> Void

    package init(
        processes: any ProcessRunning, tools: ESXiTools, environment: RunEnvironment, runID: String,
        stage: @escaping @Sendable (String) -> Void
    ) {
        self.processes = processes
        self.tools = tools
        self.environment = environment
        self.runID = runID
        self.stage = stage
    }

    /// What a build left.
    package struct Outcome: Sendable, Encodable {
        package let image: String
        package let checksumFile: String
        package let sha256: String
        package let compressedBytes: Int64
        package let rawBytes: Int64
        package let bootPartitionOffset: UInt64
        package let logFile: String
    }

    /// Takes the output directory's lock (exit 2 naming the holder if another run has it).
    package static func lockOutput(_ plan: ESXiPlan, layout: RepoLayout, runID: String) throws -> FileLock {
        let path = layout.outputDirectory + "/.locks/esxi-\(plan.release).lock"
        guard let lock = try FileLock.tryAcquire(path, exclusive: true, holder: RunLocks.holder(runID: runID)) else {
            throw ESXiBuildError.outputBusy(directory: plan.outputDirectory, holder: FileLock.holder(path) ?? "another run")
        }
        return lock
    }

    /// `packer validate` with the planned arguments.
    package func validate(_ plan: ESXiPlan) async throws {
        try makeDirectories(plan)
        defer {
            _ = try? FileWriter.remove(plan.workDirectory)
            removeOutsideTemporaryDirectory(plan)
        }
        let log = try LogFile(path: plan.workDirectory + "/validate.log")
        let lines = LineCollector(limit: 20)
        let status = try await runPacker(plan, log: log, redact: Redactor([])) { lines.append($0) }
        guard status.succeeded else { throw ESXiBuildError.invalidTemplate(output: lines.text) }
    }

    package func build(_ plan: ESXiPlan) async throws -> Outcome {
        guard let password = plan.rootPassword else { throw InternalError("a build plan without ESXI_ROOT_PASSWORD") }
        try makeDirectories(plan)
        var succeeded = false
        defer {
            removeOutsideTemporaryDirectory(plan)
            if succeeded && !environment.isOn("IB_KEEP_WORK") { _ = try? FileWriter.remove(plan.workDirectory) }
        }
        let log = try LogFile(path: plan.logFile)
        stage("rendering the kickstart (root password as a SHA-512 crypt hash)")
        let hash = try await PasswordHasher.sha512Crypt(password, processes: tools.processes, openssl: tools.paths["openssl"] ?? "openssl")
        let redact = Redactor([password, hash])
        let kickstart = try KickstartDisk.render(template: plan.kickstartTemplate, hash: hash)
        try await KickstartDisk.make(image: plan.kickstartImage, kickstart: kickstart, workDirectory: plan.workDirectory, tools: tools)
        stage("running the installer with packer's qemu builder (\(plan.accelerator.kind.rawValue))")
        let status = try await runPacker(plan, log: log, redact: redact) { _ in }
        // The installer's serial console goes beside the build's log, whatever happened.
        if FileReader.exists(plan.workDirectory + "/serial.log") {
            try? FileWriter.rename(plan.workDirectory + "/serial.log", to: plan.serialLog)
            log.append("image-builder: the installer's serial console: \(plan.serialLog)")
        }
        try Task.checkCancellation()
        guard status.succeeded else { throw ESXiBuildError.packerFailed(outcome: "\(status)", log: plan.logFile) }
        stage("writing curtin/curtin-hooks and curtin/scripts.tar.xz onto partition 1")
        let seed = CurtinSeed(curtinDirectory: plan.curtinDirectory, firstBootDirectory: plan.firstBootDirectory, tools: tools)
        let archive = plan.workDirectory + "/scripts.tar.xz"
        try await seed.packScripts(into: archive)
        let offset = try await seed.write(into: plan.rawDisk, archive: archive)
        log.append("image-builder: curtin/ written to partition 1 at byte \(offset)")
        stage("compressing the disk into \(Paths.basename(plan.image)) with its sha256")
        try FileWriter.makeDirectory(plan.outputDirectory)
        let partial = plan.image + ".partial-" + runID
        let result = try await OffThread.run { try DiskCompressor.compress(plan.rawDisk, to: partial) }
        try Task.checkCancellation()
        try FileWriter.write("\(result.sha256)  \(Paths.basename(plan.image))\n", to: plan.checksumFile + ".partial-" + runID, mode: 0o644)
        try FileWriter.rename(partial, to: plan.image)
        try FileWriter.rename(plan.checksumFile + ".partial-" + runID, to: plan.checksumFile)
        log.append("image-builder: \(plan.image) sha256 \(result.sha256) (\(result.compressedBytes) of \(result.rawBytes) bytes)")
        succeeded = true
        return Outcome(
            image: plan.image, checksumFile: plan.checksumFile, sha256: result.sha256, compressedBytes: result.compressedBytes,
            rawBytes: result.rawBytes, bootPartitionOffset: offset, logFile: plan.logFile)
    }

    /// The work directory and packer's TMPDIR (inside it, or a short path when that is too long
    /// for a socket's name), 0700.
    private func makeDirectories(_ plan: ESXiPlan) throws {
        try FileWriter.makeDirectory(plan.workDirectory, mode: 0o700)
        if let tmp = plan.environment.values["TMPDIR"] { try FileWriter.makeDirectory(tmp, mode: 0o700) }
    }

    private func removeOutsideTemporaryDirectory(_ plan: ESXiPlan) {
        if let tmp = plan.environment.values["TMPDIR"], !Paths.isInside(tmp, plan.workDirectory) { _ = try? FileWriter.remove(tmp) }
    }

    /// Runs packer with the plan's argv and environment; output redacted into the log.
    private func runPacker(
        _ plan: ESXiPlan, log: LogFile, redact: Redactor, onLine: @escaping @Sendable (String) -> Void
    ) async throws -> ProcessOutcome {
        var env = environment.variables
        for name in plan.environment.removed { env[name] = nil }
        env.merge(plan.environment.values) { _, planned in planned }
        let arguments = plan.packer.arguments
        let command = ProcessCommand(
            executable: arguments[0], arguments: Array(arguments.dropFirst()), environment: env,
            workingDirectory: plan.packer.workingDirectory, label: plan.target)
        log.append("$ " + redact(ShellWords.join(arguments)))
        let stage = self.stage
        let status = try await processes.run(command) { _, line in
            let safe = redact(ANSI.strip(line))
            log.append(safe)
            onLine(safe)
            if let parsed = StageParser.stage(in: safe) { stage("packer: " + parsed) }
        }
        try? LogRedaction.redactInPlace(plan.workDirectory + "/packer.log", redact)
        return status
    }
}
