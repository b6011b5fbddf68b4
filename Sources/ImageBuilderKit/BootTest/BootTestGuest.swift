import ImageBuilderBasics
import Synchronization

/// The running qemu: its task, and whether it has ended (asked without waiting).
final class BootTestGuest: Sendable {
    private let ended = Mutex(false)
    private let task: Mutex<Task<Void, Never>?> = Mutex(nil)

    init(tools: BootTestTools, arguments: [String]) {
        let work = Task { [self] in
            _ = try? await tools.run("qemu-system-x86_64", arguments, keep: 20)
            ended.withLock { $0 = true }
        }
        task.withLock { $0 = work }
    }

    var isDone: Bool { ended.withLock { $0 } }

    /// Stops qemu (SIGTERM through the process seam) and waits for it.
    func stop() async {
        guard let work = task.withLock({ $0 }) else { return }
        work.cancel()
        await work.value
    }

    /// Waits for qemu to end by itself (the guest powered off); stops it after `limit`.
    func waitForExit(limit: Duration) async throws {
        let deadline = ContinuousClock.now + limit
        while ContinuousClock.now < deadline {
            if isDone { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        await stop()
    }
}
