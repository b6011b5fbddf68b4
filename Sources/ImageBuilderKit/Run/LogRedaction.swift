public import ImageBuilderBasics

#if canImport(Glibc)
    import Glibc
#endif

/// packer's own log (PACKER_LOG=1 writes it to the build's PACKER_LOG_PATH) holds sensitive
/// values in clear ("Deleting kv.Value: …"): after packer exits it is rewritten through the
/// redactor, line by line in bounded memory, as a 0600 file.
package enum LogRedaction {
    /// Rewrites `path` in place (if it exists) with every line redacted.
    package static func redactInPlace(_ path: String, _ redact: Redactor) throws {
        guard FileReader.exists(path) else { return }
        let input = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard input >= 0 else { throw FileError.cannotWrite(path: path, reason: "cannot be read for redaction") }
        defer { close(input) }
        let partial = path + ".redacting"
        let output = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw FileError.cannotWrite(path: partial, reason: "cannot be created") }
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        func emit(_ line: ArraySlice<UInt8>, newline: Bool) {
            let text = redact(String(decoding: line, as: UTF8.self)) + (newline ? "\n" : "")
            let bytes = Array(text.utf8)
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { write(output, $0.baseAddress, $0.count) }
                if n <= 0 { return }
                offset += n
            }
        }
        while true {
            let n = buffer.withUnsafeMutableBytes { read(input, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            pending += buffer[0..<n]
            while let newline = pending.firstIndex(of: 10) {
                emit(pending[..<newline], newline: true)
                pending.removeSubrange(...newline)
            }
            // A line longer than 1 MiB is redacted in pieces rather than held whole.
            if pending.count > 1 << 20 {
                emit(pending[...], newline: false)
                pending.removeAll()
            }
        }
        if !pending.isEmpty { emit(pending[...], newline: false) }
        close(output)
        try FileWriter.rename(partial, to: path)
    }
}
