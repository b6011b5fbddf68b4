public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning
public import OVAKit

#if canImport(Glibc)
    import Glibc
#endif

/// `ova package`: disks to streamOptimized (qemu-img, for the local families), then the OVA —
/// by OVAKit, or by ovftool when IB_OVFTOOL is set.
package struct OVAPackager: Sendable {
    package let repo: RepoLayout
    package let environment: RunEnvironment
    package let note: @Sendable (String) -> Void
    /// Runs qemu-img and ovftool.
    package let processes: any ProcessRunning

    package init(
        repo: RepoLayout, environment: RunEnvironment, processes: any ProcessRunning = SubprocessRunner.helper,
        note: @escaping @Sendable (String) -> Void
    ) {
        self.processes = processes
        self.repo = repo
        self.environment = environment
        self.note = note
    }

    /// Packages `outputDirectory`; `vmdk` overrides the manifest's disks.
    package func package(
        _ outputDirectory: String, vmdk: String?, eula: String?, vmx: Int?,
        isCancelled: @escaping @Sendable () -> Bool
    ) async throws -> OVAWriter.Result {
        let directory = environment.absolute(outputDirectory)
        let ovftool = environment["IB_OVFTOOL"].map { !$0.isEmpty } ?? false
        // Every input is checked before anything is written.
        try UserInputs.checkOVFToolArguments(environment)
        if ovftool, PackerLocator.search("ovftool", environment) == nil {
            throw EnvironmentError.toolMissing(tool: "ovftool", hint: "IB_OVFTOOL is set: install VMware's ovftool, or unset IB_OVFTOOL")
        }
        if vmdk == "-" {
            if ovftool { throw OVAError.invalidInput(path: "--vmdk -", reason: "ovftool needs a disk file, not standard input") }
            let inputs = try OVAPackaging(outputDirectory: directory, layout: repo, environment: environment, diskCount: 1, eulaFile: eula, vmx: vmx)
            inputs.warnings.forEach(note)
            note("writing \(repo.display(inputs.layout.path(inputs.layout.ovaName))) from standard input (streamed)")
            let layout = inputs.layout
            return try await OffThread.run { try Self.streamStandardInput(into: OVAWriter(layout: layout, isCancelled: isCancelled)) }
        }
        let given = vmdk.map { [environment.absolute($0)] }
        let inputs = try OVAPackaging(
            outputDirectory: directory, layout: repo, environment: environment,
            diskCount: given?.count, eulaFile: eula, vmx: vmx)
        inputs.warnings.forEach(note)
        let sources = given ?? inputs.manifestDisks
        guard !sources.isEmpty else {
            throw OVAError.invalidInput(path: directory + "/packer-manifest.json", reason: "names no .vmdk file; give one with --vmdk")
        }
        for source in sources where !FileReader.exists(source) {
            throw OVAError.invalidInput(path: source, reason: "no such disk file")
        }
        var disks: [String] = []
        for (index, source) in sources.enumerated() {
            // A disk that is no VMDK (or qcow2, from the qemu family) at all, a text file named
            // .vmdk, is never converted as raw.
            guard case .contents(let head, _) = FileReader.read(source, offset: 0, count: 512),
                head.starts(with: Array("KDMV".utf8)) || head.starts(with: Array("# Disk DescriptorFile".utf8))
                    || head.starts(with: [0x51, 0x46, 0x49, 0xFB])
            else {
                throw OVAError.damaged(path: source, reason: "is not a VMDK or qcow2 disk (no KDMV sparse header, disk descriptor or QFI magic)")
            }
            if VMDKHeader.isStreamOptimized(head) {
                disks.append(source)
                continue
            }
            let converted = inputs.layout.path(inputs.layout.diskNames[index])
            note("stream-optimizing \(repo.display(source)) → \(repo.display(converted)) (qemu-img)")
            try await convert(source, to: converted)
            disks.append(converted)
        }
        if ovftool {
            // OVAWriter gives each disk its VMDK header's capacity itself; ovftool gets the OVF from here.
            let described = inputs.layout.describing(capacities: disks.map { VMDKHeader.capacityBytes(path: $0) })
            return try await packageWithOVFTool(described, disks: disks)
        }
        note("writing \(repo.display(inputs.layout.path(inputs.layout.ovaName)))")
        let (layout, files) = (inputs.layout, disks)
        return try await OffThread.run {
            do { return try OVAWriter(layout: layout, isCancelled: isCancelled).package(diskFiles: files) } catch let failure as OVAWriter.Failure {
                throw OVAError(failure)
            } catch let error as any UserFacingError {
                throw error
            } catch {
                throw OVAError.failed("\(error)")
            }
        }
    }

    /// The streaming path fed from standard input: the disk is written once, into the OVA.
    static func streamStandardInput(into writer: OVAWriter) throws -> OVAWriter.Result {
        do {
            try writer.beginStream()
            var buffer = [UInt8](repeating: 0, count: 4 << 20)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { throw OVAError.failed("standard input: read failed (errno \(errno))") }
                if count == 0 { break }
                try writer.append(Array(buffer[0..<count]))
            }
            try writer.nextDisk()
            return try writer.finishStream()
        } catch let failure as OVAWriter.Failure {
            throw OVAError(failure)
        }
    }

    private func convert(_ source: String, to destination: String) async throws {
        let lines = LineCollector()
        let outcome = try await processes.run(
            ProcessCommand(
                executable: "/usr/bin/env",
                arguments: ["qemu-img", "convert", "-O", "vmdk", "-o", "subformat=streamOptimized", source, destination + ".partial"],
                environment: ["PATH": environment["PATH"] ?? "/usr/bin:/bin"], workingDirectory: Paths.dirname(destination))
        ) { _, line in lines.append(line) }
        if outcome == .exited(127) { throw EnvironmentError.toolMissing(tool: "qemu-img", hint: "`make deps-ova` installs qemu-utils") }
        guard outcome.succeeded else {
            _ = try? FileWriter.remove(destination + ".partial")
            throw OVAError.failed("qemu-img could not convert \(source): \(lines.text)")
        }
        try FileWriter.rename(destination + ".partial", to: destination)
    }

    /// ovftool mode: the OVF (unpadded) beside the disks, `ovftool $IB_OVFTOOL_ARGS ovf ova`, then the checksum.
    private func packageWithOVFTool(_ layout: OVALayout, disks: [String]) async throws -> OVAWriter.Result {
        var descriptor = layout.descriptor
        var sizes: [Int64] = []
        for (index, disk) in disks.enumerated() {
            let size = FileReader.size(disk) ?? 0
            sizes.append(size)
            descriptor.disks[index].fileName = Paths.basename(disk)
            descriptor.disks[index].size = size
            descriptor.disks[index].populatedSize = size
            if Paths.dirname(disk) != layout.directory {
                throw OVAError.invalidInput(path: disk, reason: "ovftool needs the disk in \(layout.directory)")
            }
        }
        let ovf = layout.path(layout.ovfName)
        try FileWriter.write(descriptor.xml(), to: ovf, mode: 0o644)
        let ova = layout.path(layout.ovaName)
        let arguments = try ShellWords.split(environment["IB_OVFTOOL_ARGS"] ?? "") + [ovf, ova]
        note("ovftool " + ShellWords.join(arguments))
        let lines = LineCollector()
        let outcome = try await processes.run(
            ProcessCommand(
                executable: "/usr/bin/env", arguments: ["ovftool"] + arguments, environment: environment.variables,
                workingDirectory: layout.directory)
        ) { _, line in
            lines.append(line)
            note(line)
        }
        guard outcome.succeeded, FileReader.exists(ova) else {
            _ = try? FileWriter.remove(ova)
            throw OVAError.failed("ovftool failed: \(lines.text.suffix(500))")
        }
        let digest = try await OffThread.run { try SHA256File.hex(ova) }
        try FileWriter.write(digest, to: layout.path(layout.checksumName), mode: 0o644)
        return OVAWriter.Result(ova: ova, sha256: digest, diskDigests: [], diskSizes: sizes)
    }
}
