public import ImageBuilderBasics
public import ImageBuilderPlanning

#if canImport(Glibc)
    import Glibc
#endif

/// What to boot: a disk (raw, qcow2 or VMDK), an OVA or a build's output folder (never written:
/// the guest writes to an overlay; see `BootTestSource`), and for a disk without a boot loader
/// the kernel, initrd and command line to boot it directly.
package struct BootTestRequest: Sendable {
    package var disk: String
    package var kernel: String?
    package var initrd: String?
    package var append: String?
    package var memoryMiB = 1024
    /// How long the guest may take to answer SSH, and then cloud-init to finish.
    package var sshLimit: Duration = .seconds(900)
    /// The machine-id the build left (a booted copy must have another).
    package var buildMachineID: String?

    package init(disk: String) { self.disk = disk }
}

/// The outcome: every check, and how long each stage took.
package struct BootTestReport: Sendable, Codable {
    package let checks: [BootTestCheck]
    package let timings: [String: Double]
    package let accelerator: String
    package var passed: Bool { checks.allSatisfy(\.passed) }
}

/// Boots a disk under qemu (KVM when it really works here, else TCG) with a NoCloud seed and
/// only a loopback SSH forward for network (`restrict=on`), waits for SSH, checks the guest, and
/// powers it off. A guest that never answers fails within the limit with its console's last lines.
package struct BootTester: Sendable {
    let tools: BootTestTools
    let accelerator: Accelerator
    let workRoot: String
    let note: @Sendable (String) -> Void

    package init(tools: BootTestTools, accelerator: Accelerator, workRoot: String, note: @escaping @Sendable (String) -> Void) {
        self.tools = tools
        self.accelerator = accelerator
        self.workRoot = workRoot
        self.note = note
    }

    package func run(_ request: BootTestRequest) async throws -> BootTestReport {
        let id = BootTestRun.id()
        let folder = workRoot + "/boot-test-" + id
        try FileWriter.makeDirectory(folder, mode: 0o700)
        defer { _ = try? FileWriter.remove(folder) }
        let seed = BootTestSeed(folder: folder, testID: id)
        try await seed.write(tools: tools)
        let source = try await BootTestSource.resolve(request.disk, tools: tools)
        let overlay = folder + "/overlay.qcow2"
        _ = try await tools.require("qemu-img", ["create", "-q", "-f", "qcow2", "-F", source.format, "-b", source.backing, overlay])
        let port = try BootTestRun.freePort()
        let console = folder + "/console.log"
        var arguments = [
            "-accel", accelerator.kind.rawValue, "-cpu", accelerator.cpuModel, "-m", String(request.memoryMiB), "-smp", "1",
            "-nographic", "-no-reboot", "-monitor", "none", "-serial", "file:" + console,
            "-drive", "file=\(overlay),format=qcow2,if=virtio", "-drive", "file=\(seed.iso),format=raw,if=virtio,readonly=on",
            "-netdev", "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:\(port)-:22", "-device", "virtio-net-pci,netdev=n0",
        ]
        if let kernel = request.kernel { arguments += ["-kernel", kernel] }
        if let initrd = request.initrd { arguments += ["-initrd", initrd] }
        if let append = request.append { arguments += ["-append", append] }
        let clock = ContinuousClock()
        let start = clock.now
        note("booting \(source.name) under qemu (\(accelerator.kind.rawValue): \(accelerator.reason)); SSH on 127.0.0.1:\(port)")
        let guest = BootTestGuest(tools: tools, arguments: arguments)
        do {
            let session = BootTestSSH(tools: tools, key: seed.keyFile, user: seed.user, port: port)
            try await session.waitForLogin(until: start + request.sshLimit, limit: request.sshLimit, guest: guest) { Self.lastLines(console) }
            let booted = clock.now
            note("SSH answered after \(Int(BootTestRun.seconds(start.duration(to: booted)))) s; waiting for cloud-init")
            let left = max(30, Int((request.sshLimit - start.duration(to: clock.now)).components.seconds))
            _ = try await session.run("timeout \(left) cloud-init status --wait >/dev/null 2>&1; true")
            let settled = clock.now
            // As root: without D-Bus (a minimal system) only root reaches systemd.
            let (_, lines) = try await session.run("sudo -n sh -c " + ShellWords.quote(BootTestCheck.probe))
            let checks = BootTestCheck.evaluate(lines, hostname: seed.hostname, marker: seed.marker, buildMachineID: request.buildMachineID)
            let checked = clock.now
            _ = try? await session.run("sudo systemctl poweroff")
            try await guest.waitForExit(limit: .seconds(120))
            return BootTestReport(
                checks: checks,
                timings: [
                    "boot to SSH": BootTestRun.seconds(start.duration(to: booted)),
                    "cloud-init": BootTestRun.seconds(booted.duration(to: settled)),
                    "checks": BootTestRun.seconds(settled.duration(to: checked)),
                    "power off": BootTestRun.seconds(checked.duration(to: clock.now)),
                ], accelerator: accelerator.kind.rawValue)
        } catch {
            await guest.stop()
            throw error
        }
    }

    /// The console's last lines, without control characters.
    static func lastLines(_ path: String, count: Int = 20) -> [String] {
        let size = FileReader.size(path) ?? 0
        let from = max(0, size - 64 << 10)
        guard case .contents(let bytes, _) = FileReader.read(path, offset: from, count: Int(size - from)) else { return [] }
        let text = String(decoding: bytes.map { $0 < 0x20 && $0 != 0x0A ? 0x20 : $0 }, as: UTF8.self)
        var lines: [String] = []
        // A line the console repeats (initramfs polling for a root) shows once.
        for line in text.split(separator: "\n").map({ $0.trimmingCharacters() }) where !line.isEmpty && line != lines.last {
            lines.append(line)
        }
        return Array(lines.suffix(count))
    }
}
