import Subprocess
import SystemPackage

/// The production `ProcessRunning`, on swift-subprocess (stack-findings §4: never
/// Foundation.Process). The child gets its own session; cancellation sends SIGTERM to its pid
/// (packer then cleans up), waits `grace`, then kills its whole group.
package struct SubprocessRunner: ProcessRunning {
    package let grace: Duration

    package init(grace: Duration = .seconds(300)) { self.grace = grace }

    package func run(
        _ command: ProcessCommand, onLine: @escaping @Sendable (OutputStreamKind, String) async -> Void
    ) async throws -> ProcessOutcome {
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [
            .gracefulShutDown(toProcessGroup: false, allowedDurationToNextStep: grace),
            .send(signal: .kill, toProcessGroup: true, allowedDurationToNextStep: .seconds(1)),
        ]
        var environment: [Environment.Key: String] = [:]
        for (key, value) in command.environment { environment[Environment.Key(stringLiteral: key)] = value }
        let result = try await Subprocess.run(
            .path(FilePath(command.executable)),
            arguments: Arguments(command.arguments),
            environment: .custom(environment),
            workingDirectory: FilePath(command.workingDirectory),
            platformOptions: options,
            input: .none,
            output: .sequence,
            error: .sequence
        ) { execution in
            let out = execution.standardOutput
            let err = execution.standardError
            // Shield: drain both pipes to EOF even when this task is cancelled, or the child
            // dies of SIGPIPE before it can clean up (house-style §5.5, V3/V4).
            try await Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { for try await line in out.strings() { await onLine(.standardOutput, line.trimmingNewline()) } }
                    group.addTask { for try await line in err.strings() { await onLine(.standardError, line.trimmingNewline()) } }
                    try await group.waitForAll()
                }
            }.value
        }
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
