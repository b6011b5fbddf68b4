package import ImageBuilderKit
import Synchronization

/// A `ProcessRunning` that starts nothing and measures: each "run" takes `duration`, counts how
/// many runs overlap, and exits with the code `exitCode` gives for its label. Cancelling the
/// calling task ends a run at once with SIGTERM's status, as a stopped packer does.
package final class ProbeProcessRunner: ProcessRunning {
    private struct State {
        var running = 0
        var peak = 0
        var started: [String] = []
        var finished: [String] = []
    }
    private let state = Mutex(State())
    private let duration: Duration
    private let exitCode: @Sendable (String) -> Int32
    private let lines: @Sendable (ProcessCommand) -> [String]
    /// Each run first waits (up to 20 s) until this many runs have overlapped: on a loaded
    /// machine the count the scheduler allows is then reached, and never exceeded.
    private let holdUntilPeak: Int?

    package init(
        duration: Duration = .milliseconds(150), holdUntilPeak: Int? = nil,
        exitCode: @escaping @Sendable (String) -> Int32 = { _ in 0 },
        lines: @escaping @Sendable (ProcessCommand) -> [String] = { _ in [] }
    ) {
        self.duration = duration
        self.holdUntilPeak = holdUntilPeak
        self.exitCode = exitCode
        self.lines = lines
    }

    /// The most runs at once.
    package var peak: Int { state.withLock { $0.peak } }
    /// Labels in start order.
    package var started: [String] { state.withLock { $0.started } }
    /// Labels that ran to their end (not cancelled).
    package var finished: [String] { state.withLock { $0.finished } }

    package func run(
        _ command: ProcessCommand, onLine: @escaping @Sendable (OutputStreamKind, String) async -> Void
    ) async throws -> ProcessOutcome {
        state.withLock {
            $0.running += 1
            $0.peak = max($0.peak, $0.running)
            $0.started.append(command.label)
        }
        defer { state.withLock { $0.running -= 1 } }
        for line in lines(command) { await onLine(.standardOutput, line) }
        if let holdUntilPeak {
            for _ in 0..<2000 where peak < holdUntilPeak {
                do { try await Task.sleep(for: .milliseconds(10)) } catch { return .signalled(15) }
            }
        }
        do {
            try await Task.sleep(for: duration)
        } catch {
            return .signalled(15)
        }
        state.withLock { $0.finished.append(command.label) }
        return .exited(exitCode(command.label))
    }
}

/// Short helpers answered without starting anything: `openssl passwd` gets a fixed crypt hash.
package struct FakeHelperRunner: ProcessRunning {
    package init() {}

    package func run(
        _ command: ProcessCommand, onLine: @escaping @Sendable (OutputStreamKind, String) async -> Void
    ) async throws -> ProcessOutcome {
        if command.arguments.contains("passwd") { await onLine(.standardOutput, "$6$fakesalt$fakehash") }
        return .exited(0)
    }
}
