import OVAKit
import Synchronization

/// The sha256 and byte count of an upload as it streams, and its progress reports (at most one
/// per percent).
final class UploadMeter: Sendable {
    private let state = Mutex((hasher: SHA256(), sent: Int64(0), reported: Int64(-1)))
    let total: Int64
    let progress: @Sendable (Int64, Int64) -> Void

    init(total: Int64, progress: @escaping @Sendable (Int64, Int64) -> Void) {
        self.total = total
        self.progress = progress
    }

    func add(_ chunk: UnsafeRawBufferPointer) {
        let report: Int64? = state.withLock { state in
            state.hasher.update(bufferPointer: chunk)
            state.sent += Int64(chunk.count)
            let percent = total > 0 ? state.sent * 100 / total : 100
            guard percent != state.reported else { return nil }
            state.reported = percent
            return state.sent
        }
        if let report { progress(report, total) }
    }

    var sha256: String {
        state.withLock { state -> String in OVAWriter.hex(state.hasher.finalize()) }
    }
}
