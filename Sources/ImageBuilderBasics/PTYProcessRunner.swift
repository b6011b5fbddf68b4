import Subprocess
import Synchronization
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `ProcessRunning` for packer's asking modes (`-on-error=ask`, `-debug`): packer asks only
/// on its controlling terminal, so each child gets a pseudo-terminal of its own as controlling
/// terminal (`setsid --ctty` with the pty's slave as fds 0–2). A partial line followed by
/// silence is a prompt: `prompter` gets it (with the command's label) and its answer is typed
/// into that child's terminal. Stopping works as in `SubprocessRunner`.
package struct PTYProcessRunner: ProcessRunning {
    package typealias Prompter = @Sendable (_ label: String, _ prompt: String) async -> String

    package let prompter: Prompter
    package let grace: Duration
    /// How long a partial line must stay unfinished to count as a prompt.
    package let quiet: Duration

    package init(grace: Duration = .seconds(300), quiet: Duration = .milliseconds(400), prompter: @escaping Prompter) {
        self.prompter = prompter
        self.grace = grace
        self.quiet = quiet
    }

    package func run(
        _ command: ProcessCommand, onLine: @escaping @Sendable (OutputStreamKind, String) async -> Void
    ) async throws -> ProcessOutcome {
        let (master, slavePath) = try PTYProcessRunner.openPseudoTerminal()
        func openSlave() -> Int32 { open(slavePath, O_RDWR | O_NOCTTY) }
        let (slaveIn, slaveOut, slaveErr) = (openSlave(), openSlave(), openSlave())
        guard slaveIn >= 0, slaveOut >= 0, slaveErr >= 0 else {
            close(master)
            throw ProcessError.cannotSetUp("cannot open \(slavePath)")
        }
        let environment = command.subprocessEnvironment
        let stopper = ChildStopper()
        let grace = self.grace
        let quiet = self.quiet
        let prompter = self.prompter
        let label = command.label
        let work = Task {
            // setsid makes a new session and takes the pty (its stdin) as controlling terminal,
            // then execs packer: packer's pid is the session's, as with SubprocessRunner.
            try await Subprocess.run(
                .path(FilePath("/usr/bin/setsid")),
                arguments: Arguments(["--ctty", command.executable] + command.arguments),
                environment: environment,
                workingDirectory: FilePath(command.workingDirectory),
                input: .fileDescriptor(FileDescriptor(rawValue: slaveIn), closeAfterSpawningProcess: true),
                output: .fileDescriptor(FileDescriptor(rawValue: slaveOut), closeAfterSpawningProcess: true),
                error: .fileDescriptor(FileDescriptor(rawValue: slaveErr), closeAfterSpawningProcess: true)
            ) { execution in
                if stopper.started(execution.processIdentifier.value) { stopper.stop(grace: grace) }
                try await PTYProcessRunner.pump(master: master, quiet: quiet, onLine: onLine) { prompt in
                    await prompter(label, prompt)
                }
            }
        }
        defer { close(master) }
        let result = try await withTaskCancellationHandler {
            try await work.value
        } onCancel: {
            stopper.stop(grace: grace)
        }
        stopper.exited()
        switch result.terminationStatus {
        case .exited(let code): return .exited(code)
        case .signaled(let signal): return .signalled(signal)
        }
    }

    /// Opens a pseudo-terminal pair's master and names its slave. (Swift's Glibc module does not
    /// export posix_openpt/unlockpt/ptsname: this is what they do on Linux.)
    static func openPseudoTerminal() throws -> (master: Int32, slave: String) {
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw ProcessError.cannotSetUp("no pseudo-terminal: \(String(cString: strerror(errno)))") }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        let tiocsptlck: UInt = 0x4004_5431  // _IOW('T', 0x31, int): unlock the slave
        let tiocgptn: UInt = 0x8004_5430  // _IOR('T', 0x30, unsigned int): the slave's number
        guard ioctl(master, tiocsptlck, &unlock) == 0, ioctl(master, tiocgptn, &number) == 0 else {
            close(master)
            throw ProcessError.cannotSetUp("cannot set up the pseudo-terminal")
        }
        return (master, "/dev/pts/\(number)")
    }

    /// Reads the terminal's output to the end: whole lines to `onLine`, prompts to `ask`.
    private static func pump(
        master: Int32, quiet: Duration, onLine: @escaping @Sendable (OutputStreamKind, String) async -> Void,
        ask: (String) async -> String
    ) async throws {
        var pending: [UInt8] = []
        let quietMs = Int32(quiet.components.seconds * 1000 + quiet.components.attoseconds / 1_000_000_000_000_000)
        while true {
            let chunk: [UInt8]? = await DispatchTaskExecutor.blocking {
                var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                let ready = poll(&pfd, 1, quietMs)
                if ready == 0 { return [] }
                var buffer = [UInt8](repeating: 0, count: 65536)
                let n = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
                // EIO: every holder of the slave side is gone (the child exited).
                if n <= 0 { return (n < 0 && errno == EINTR) ? [] : nil }
                return Array(buffer.prefix(n))
            }
            guard let chunk else { break }
            if chunk.isEmpty {
                // Silence after a partial line: a prompt.
                if !pending.isEmpty {
                    let prompt = ANSI.strip(String(decoding: pending, as: UTF8.self)).trimmingCharacters()
                    pending.removeAll()
                    await onLine(.standardOutput, prompt)
                    let answer = Array((await ask(prompt) + "\r").utf8)
                    _ = answer.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
                }
                continue
            }
            pending += chunk
            while let newline = pending.firstIndex(of: 0x0A) {
                var line = Array(pending[..<newline])
                if line.last == 0x0D { line.removeLast() }
                pending.removeSubrange(...newline)
                await onLine(.standardOutput, String(decoding: line, as: UTF8.self))
            }
        }
        if !pending.isEmpty { await onLine(.standardOutput, String(decoding: pending, as: UTF8.self)) }
    }
}
