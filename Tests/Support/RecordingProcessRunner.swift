package import ImageBuilderKit
import Synchronization

/// A `ProcessRunning` that starts nothing: it records each command and answers with a scripted
/// outcome. For tests of what would be started (and that nothing was).
package final class RecordingProcessRunner: ProcessRunning {
    private let state = Mutex<[ProcessCommand]>([])
    private let outcome: @Sendable (ProcessCommand) -> (lines: [String], outcome: ProcessOutcome)

    package init(outcome: @escaping @Sendable (ProcessCommand) -> (lines: [String], outcome: ProcessOutcome) = { _ in ([], .exited(0)) }) {
        self.outcome = outcome
    }

    /// Every command "started" so far.
    package var started: [ProcessCommand] { state.withLock { $0 } }

    package func run(
        _ command: ProcessCommand, onLine: @escaping @Sendable (OutputStreamKind, String) async -> Void
    ) async throws -> ProcessOutcome {
        state.withLock { $0.append(command) }
        let scripted = outcome(command)
        for line in scripted.lines { await onLine(.standardOutput, line) }
        return scripted.outcome
    }
}
