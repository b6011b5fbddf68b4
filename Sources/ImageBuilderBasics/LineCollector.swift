import Synchronization

/// The first lines of a child's output (at most `limit`), for messages and short answers.
package final class LineCollector: Sendable {
    private let lines = Mutex<[String]>([])
    private let limit: Int

    package init(limit: Int = 50) { self.limit = limit }

    package func append(_ line: String) { lines.withLock { if $0.count < limit { $0.append(line) } } }

    /// The lines joined by spaces.
    package var text: String { lines.withLock { $0.joined(separator: " ") } }

    /// The lines as collected.
    package var all: [String] { lines.withLock { $0 } }
}
