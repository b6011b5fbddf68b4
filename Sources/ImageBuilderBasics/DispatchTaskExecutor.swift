import Dispatch

/// Runs tasks on a concurrent Dispatch queue (house-style §5.4): builds run on Dispatch while
/// cancellation, errors and task-locals still flow through the task tree.
package final class DispatchTaskExecutor: TaskExecutor {
    private let queue: DispatchQueue

    package init(label: String) { queue = DispatchQueue(label: label, attributes: .concurrent) }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }

    /// Runs blocking work (a `read(2)` on make's jobserver, a `flock`) off the cooperative pool.
    package static func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: work()) }
        }
    }
}
