/// What a run reports as it goes; the CLI chooses how to show it (house-style §5.9).
package enum BuildEvent: Sendable, Equatable {
    /// Waiting for something before packer starts (a base being built, a jobserver token).
    case waiting(target: String, reason: String)
    case started(target: String, logFile: String)
    /// A new stage from packer's output ("Creating VM", "Running local shell script" …).
    case stage(target: String, String)
    /// One line of packer's output, redacted.
    case line(target: String, String)
    case finished(RunOutcome)
}

/// Receives events; called from many builds at once.
package typealias BuildObserver = @Sendable (BuildEvent) -> Void

/// Reads stages out of packer's human output (`-timestamp-ui`): `==> <builder>: <stage>`.
package enum StageParser {
    package static func stage(in line: String) -> String? {
        let plain = stripANSI(line)
        guard let arrow = plain.firstRange(of: "==> ") else { return nil }
        let rest = plain[arrow.upperBound...]
        guard let colon = rest.firstRange(of: ": ") else { return nil }
        let stage = rest[colon.upperBound...].trimmingCharacters()
        return stage.isEmpty ? nil : stage
    }

    /// Removes ANSI escape sequences (packer's -color=true).
    package static func stripANSI(_ line: String) -> String {
        guard line.contains("\u{1B}") else { return line }
        var out = ""
        var iterator = line.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\u{1B}" else { out.unicodeScalars.append(scalar); continue }
            guard let next = iterator.next(), next == "[" else { continue }
            while let c = iterator.next(), !(c.value >= 0x40 && c.value <= 0x7E) {}
        }
        return out
    }
}
