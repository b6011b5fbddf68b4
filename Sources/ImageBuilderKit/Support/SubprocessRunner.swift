import Dispatch
import Subprocess
import Synchronization
import SystemPackage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The production `ProcessRunning`, on swift-subprocess (stack-findings §4: never
/// Foundation.Process). The child gets its own session. Cancelling the calling task stops it
/// the way packer needs: SIGTERM to its pid (packer cancels its build and removes its VM),
/// `grace` to do so, then SIGKILL to its whole process group. Its output is read to EOF
/// whatever happens (else packer dies of SIGPIPE before it cleans up).
package struct SubprocessRunner: ProcessRunning {
    package let grace: Duration

    package init(grace: Duration = .seconds(300)) { self.grace = grace }

    /// The child's pid once known, and whether a stop was asked for before that.
    private final class Child: Sendable {
        private struct State { var pid: pid_t?; var stopRequested = false; var exited = false }
        private let state = Mutex(State())

        /// Records the pid; true if a stop was already asked for.
        func started(_ pid: pid_t) -> Bool { state.withLock { $0.pid = pid; return $0.stopRequested } }
        /// After a stopped child exits, whatever it left in its group (packer's shell-local
        /// steps, for one) is killed too: the group outlives its leader, so the id is still its.
        func exited() {
            let leftover = state.withLock { s -> pid_t? in s.exited = true; return s.stopRequested ? s.pid : nil }
            if let leftover { kill(-leftover, SIGKILL) }
        }

        /// SIGTERM now, SIGKILL to the group after `grace` if it is still running.
        func stop(grace: Duration) {
            guard let pid = state.withLock({ s -> pid_t? in s.stopRequested = true; return s.exited ? nil : s.pid }) else { return }
            kill(pid, SIGTERM)
            let nanoseconds = grace.components.seconds * 1_000_000_000 + grace.components.attoseconds / 1_000_000_000
            DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) { [self] in
                // The child leads its own session: its pid is its group id.
                if !state.withLock({ $0.exited }) { kill(-pid, SIGKILL) }
            }
        }
    }

    package func run(
        _ command: ProcessCommand, onLine: @escaping @Sendable (OutputStreamKind, String) async -> Void
    ) async throws -> ProcessOutcome {
        var options = PlatformOptions()
        options.createSession = true
        var environment: [Environment.Key: String] = [:]
        for (key, value) in command.environment { environment[Environment.Key(stringLiteral: key)] = value }
        let child = Child()
        let grace = self.grace
        // Unstructured on purpose: the caller's cancellation must not reach Subprocess (it would
        // tear the pipes down under packer); it reaches the child through `Child.stop` instead.
        let work = Task {
            try await Subprocess.run(
                .path(FilePath(command.executable)),
                arguments: Arguments(command.arguments),
                environment: .custom(environment),
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

extension String {
    fileprivate func trimmingNewline() -> String {
        var s = Substring(self)
        while s.last == "\n" || s.last == "\r" { s.removeLast() }
        return String(s)
    }
}
