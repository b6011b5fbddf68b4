import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The child's pid once known, and whether a stop was asked for before that.
final class ChildStopper: Sendable {
    private struct State {
        var pid: pid_t?
        var stopRequested = false
        var exited = false
    }
    private let state = Mutex(State())

    /// Records the pid; true if a stop was already asked for.
    func started(_ pid: pid_t) -> Bool {
        state.withLock {
            $0.pid = pid
            return $0.stopRequested
        }
    }
    /// After a stopped child exits, whatever it left in its group (packer's shell-local
    /// steps, for one) is killed too: the group outlives its leader, so the id is still its.
    func exited() {
        let leftover = state.withLock { s -> pid_t? in
            s.exited = true
            return s.stopRequested ? s.pid : nil
        }
        if let leftover { kill(-leftover, SIGKILL) }
    }

    /// SIGTERM now, SIGKILL to the group after `grace` if it is still running.
    func stop(grace: Duration) {
        guard
            let pid = state.withLock({ s -> pid_t? in
                s.stopRequested = true
                return s.exited ? nil : s.pid
            })
        else { return }
        kill(pid, SIGTERM)
        let nanoseconds = grace.components.seconds * 1_000_000_000 + grace.components.attoseconds / 1_000_000_000
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(nanoseconds))) { [self] in
            // The child leads its own session: its pid is its group id.
            if !state.withLock({ $0.exited }) { kill(-pid, SIGKILL) }
        }
    }
}
