import Synchronization

/// Counts bytes passed through a `@Sendable` sink.
final class ByteCounter: Sendable {
    private let count = Atomic<Int64>(0)

    func add(_ bytes: Int) { count.add(Int64(bytes), ordering: .relaxed) }

    var total: Int64 { count.load(ordering: .relaxed) }
}
