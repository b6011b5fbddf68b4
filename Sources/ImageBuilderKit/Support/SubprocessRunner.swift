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

    package func run(
        _ command: ProcessCommand, onLine: @escaping @Sendable (OutputStreamKind, String) async -> Void
    ) async throws -> ProcessOutcome {
        var options = PlatformOptions()
        options.createSession = true
        let environment = command.subprocessEnvironment
        let child = ChildStopper()
        let grace = self.grace
        // Unstructured on purpose: the caller's cancellation must not reach Subprocess (it would
        // tear the pipes down under packer); it reaches the child through `Child.stop` instead.
        let work = Task {
            try await Subprocess.run(
                .path(FilePath(command.executable)),
                arguments: Arguments(command.arguments),
                environment: environment,
                workingDirectory: FilePath(command.workingDirectory),
                platformOptions: options,
                input: .none,
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
