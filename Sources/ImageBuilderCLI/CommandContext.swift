import ImageBuilderKit
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where a command writes: a file descriptor (stdout, stderr) or a buffer (tests).
final class OutputSink: Sendable {
    private let fd: Int32?
    private let buffer = Mutex<String>("")

    init(fd: Int32?) { self.fd = fd }

    static func capturing() -> OutputSink { OutputSink(fd: nil) }

    func write(_ text: String) {
        guard let fd else {
            buffer.withLock { $0 += text }
            return
        }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return }
            offset += n
        }
    }

    func line(_ text: String) { write(text + "\n") }

    /// What was written (capturing sinks only).
    var text: String { buffer.withLock { $0 } }

    var isTerminal: Bool { fd.map { isatty($0) == 1 } ?? false }
}

/// Everything a command needs from outside, passed explicitly so tests can run commands
/// in-process and in parallel (swiftly's context pattern).
struct CommandContext: Sendable {
    var environment: RunEnvironment
    var output: OutputSink
    var errors: OutputSink
    /// Standard input (only its TTY-ness is used: prompts need a terminal).
    var input: OutputSink = OutputSink(fd: 0)
    var processRunner: any ProcessRunning
    /// Short helpers (openssl, qemu-img, go): nil runs them for real.
    var helpers: (any ProcessRunning)? = nil
    var helperRunner: any ProcessRunning { helpers ?? SubprocessRunner.helper }
    /// Whether vSphere builds talk to vCenter around packer (base check, template conversion,
    /// export, clean-up). Off only in tests whose packer is a recording fake.
    var contactsVCenter = true

    static func live() -> CommandContext {
        CommandContext(
            environment: .current(), output: OutputSink(fd: 1), errors: OutputSink(fd: 2),
            processRunner: SubprocessRunner.packer)
    }

    @TaskLocal static var current: CommandContext = .live()

    func warn(_ message: String) { errors.line("image-builder: warning: " + message) }
}
