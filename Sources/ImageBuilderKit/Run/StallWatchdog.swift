public import ImageBuilderBasics
public import ImageBuilderPlanning
import Synchronization

/// Watches one packer run's output: a waiting stage (`WaitingStage`) that goes without any
/// output for longer than the policy's limit is a stall. Any line is progress.
package final class StallWatchdog: Sendable {
    /// A stall found: the stage's text, which wait it is, how long it went quiet, the limit,
    /// and packer's last lines.
    package struct Stall: Sendable {
        package let stage: String
        package let waiting: WaitingStage
        package let waited: Duration
        package let limit: Duration
        package let lastLines: [String]
    }

    private struct State {
        var stage: String?
        var waiting: WaitingStage?
        var since: ContinuousClock.Instant
        var lines: [String] = []
    }

    static let keptLines = 20
    let policy: StallPolicy
    private let clock = ContinuousClock()
    private let state: Mutex<State>

    package init(policy: StallPolicy) {
        self.policy = policy
        state = Mutex(State(since: ContinuousClock().now))
    }

    /// One line of packer's output (already redacted).
    package func observe(_ line: String) {
        let now = clock.now
        state.withLock { s in
            s.lines.append(line)
            if s.lines.count > Self.keptLines { s.lines.removeFirst(s.lines.count - Self.keptLines) }
            s.since = now
            if let stage = StageParser.stage(in: line) {
                s.stage = stage
                s.waiting = WaitingStage.of(stage)
            } else if let message = Self.message(in: line), let waiting = WaitingStage.of(message) {
                // packer says some waits as a message under the stage (`    vsphere: Please
                // shutdown virtual machine within 10m0s.`): that wait is the stage now.
                s.stage = message
                s.waiting = waiting
            }
        }
    }

    /// The text of one of packer's indented builder messages (`    <builder>: <text>`).
    static func message(in line: String) -> String? {
        let plain = ANSI.strip(line)
        guard let marker = plain.firstRange(of: "    ") else { return nil }
        let rest = plain[marker.upperBound...].drop { $0 == " " }
        guard let colon = rest.firstRange(of: ": "), !rest[..<colon.lowerBound].contains(" ") else { return nil }
        let text = rest[colon.upperBound...].trimmingCharacters()
        return text.isEmpty ? nil : text
    }

    /// Returns the first stall; nil when cancelled first (packer ended). `progress`, when given,
    /// reads a sign of work packer does not print (the VM's committed storage on vCenter, the
    /// size of a local VM's files): sampled when a waiting stage begins and again when its
    /// limit passes, a change is progress and restarts the wait (an installer writing its disk
    /// is not hung; one stopped at a question writes nothing).
    package func watch(tick: Duration = .milliseconds(250), progress: (@Sendable () async -> String?)? = nil) async -> Stall? {
        var sampledStage: String?
        var token: String?
        while !Task.isCancelled {
            try? await Task.sleep(for: tick)
            let current = state.withLock { s in s.waiting == nil ? nil : (s.stage ?? "") + "@\(s.since)" }
            if let progress, let current, current != sampledStage {
                sampledStage = current
                token = await progress()
            }
            let now = clock.now
            guard
                let found = state.withLock({ s -> Stall? in
                    guard let waiting = s.waiting, let limit = policy.limit(for: waiting) else { return nil }
                    let waited = now - s.since
                    return waited > limit ? Stall(stage: s.stage ?? "", waiting: waiting, waited: waited, limit: limit, lastLines: s.lines) : nil
                })
            else { continue }
            if let progress, let seen = await progress(), seen != token {
                token = seen
                state.withLock { $0.since = now }
                sampledStage = state.withLock { s in (s.stage ?? "") + "@\(s.since)" }
                continue
            }
            return found
        }
        return nil
    }
}
