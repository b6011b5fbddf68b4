import Dispatch
import Subprocess
import Synchronization
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The production `ProcessRunning`, on swift-subprocess (stack-findings §4 explains why not
/// Foundation's process class). The child gets its own session. Cancelling the calling task stops it
/// the way packer needs: SIGTERM to its pid (packer cancels its build and removes its VM),
/// `grace` to do so, then SIGKILL to its whole process group. Its output is read to EOF
/// whatever happens (else packer dies of SIGPIPE before it cleans up).
package struct SubprocessRunner: ProcessRunning {
    package let grace: Duration

    package init(grace: Duration = .seconds(300)) { self.grace = grace }

    /// For packer: five minutes to remove its VM when stopped.
    package static let packer = SubprocessRunner()
    /// For short helpers (qemu-img, openssl, ovftool, go): five seconds.
    package static let helper = SubprocessRunner(grace: .seconds(5))

    package func run(
        _ command: ProcessCommand, onLine: @escaping @Sendable (OutputStreamKind, String) async -> Void
    ) async throws -> ProcessOutcome {
        var options = PlatformOptions()
        options.createSession = true
        let environment = command.subprocessEnvironment
        let child = ChildStopper()
        let grace = self.grace
        let stdin = try StandardInputPipe(command.standardInput)
        // Unstructured on purpose: the caller's cancellation must not reach Subprocess (it would
        // tear the pipes down under packer); it reaches the child through `Child.stop` instead.
        let work = Task {
            try await Subprocess.run(
                .path(FilePath(command.executable)),
                arguments: Arguments(command.arguments),
                environment: environment,
                workingDirectory: FilePath(command.workingDirectory),
                platformOptions: options,
                input: stdin.input,
                output: .sequence,
                error: .sequence
            ) { execution in
                if child.started(execution.processIdentifier.value) { child.stop(grace: grace) }
                let out = execution.standardOutput
                let err = execution.standardError
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { for try await line in out.strings() { await onLine(.standardOutput, line.trimmingNewline()) } }
                    group.addTask { for try await line in err.strings() { await onLine(.standardError, line.trimmingNewline()) } }
                    try await group.waitForAll()
                }
            }
        }
        let result = try await withTaskCancellationHandler {
            try await work.value
        } onCancel: {
            child.stop(grace: grace)
        }
        child.exited()
        switch result.terminationStatus {
        case .exited(let code): return .exited(code)
        case .signaled(let signal): return .signalled(signal)
        }
    }
}

/// A child's standard input: /dev/null, or a pipe already holding the bytes and closed for
/// writing (no writer task to cancel; swift-subprocess 1.0.2 traps when a run with a stdin
/// writer is cancelled mid-flight).
struct StandardInputPipe {
    let input: FileDescriptorInput

    init(_ bytes: [UInt8]?) throws {
        guard let bytes else {
            let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
            guard null >= 0 else { throw ProcessError.cannotSetUp("cannot open /dev/null") }
            input = .fileDescriptor(FileDescriptor(rawValue: null), closeAfterSpawningProcess: true)
            return
        }
        guard bytes.count <= 65_536 else { throw ProcessError.inputTooLarge(bytes: bytes.count) }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw ProcessError.cannotSetUp("cannot open a pipe") }
        _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
        _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            offset += n
        }
        close(fds[1])
        input = .fileDescriptor(FileDescriptor(rawValue: fds[0]), closeAfterSpawningProcess: true)
    }
}

extension ProcessCommand {
    /// The command's whole environment, as Subprocess takes it.
    var subprocessEnvironment: Environment {
        var environment: [Environment.Key: String] = [:]
        for (key, value) in self.environment { environment[Environment.Key(stringLiteral: key)] = value }
        return .custom(environment)
    }
}

extension String {
    fileprivate func trimmingNewline() -> String {
        var s = Substring(self)
        while s.last == "\n" || s.last == "\r" { s.removeLast() }
        return String(s)
    }
}
