import Foundation
public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning
import OVAKit

/// An `OVAWriter` fed by an export's `@Sendable` sink: chunks arrive one at a time, tagged with
/// their disk's name; a new name starts the next disk.
final class OVAStream: @unchecked Sendable {
    private let writer: OVAWriter
    private let lock = NSLock()
    private var current: String?

    init(writer: OVAWriter) { self.writer = writer }

    func begin() throws { try lock.withLock { try writer.beginStream() } }

    func append(_ name: String, _ chunk: [UInt8]) throws {
        try lock.withLock {
            if let current, current != name { try writer.nextDisk() }
            current = name
            try writer.append(chunk)
        }
    }

    func finish() throws -> OVAWriter.Result { try lock.withLock { try writer.finishStream() } }

    func abort() { lock.withLock { writer.abort() } }
}
