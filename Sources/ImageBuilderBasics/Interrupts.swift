import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// SIGINT and SIGTERM cancel the work instead of killing the process, so children are torn
/// down (packer gets SIGTERM and cleans up) before the run exits 130 (house-style §5.4).
package enum Interrupts {
    /// Runs `body`; a first SIGINT or SIGTERM cancels it.
    package static func cancelling<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let work = Task { try await body() }
        let sources = [SIGINT, SIGTERM].map { signo in
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            // Only cancels: the handler never touches anything else (stack-findings §4).
            source.setEventHandler { @Sendable in work.cancel() }
            source.resume()
            return source
        }
        defer { sources.forEach { $0.cancel() } }
        return try await withTaskCancellationHandler {
            try await work.value
        } onCancel: {
            work.cancel()
        }
    }
}
