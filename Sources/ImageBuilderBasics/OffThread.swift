import Foundation

/// Runs blocking work (OVA writing: file I/O and the read-ahead's semaphore hand-offs) on a
/// thread of its own, so it never holds one of the cooperative pool's few threads.
package enum OffThread {
    package static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
