/// Terminal escape sequences.
package enum ANSI {
    /// Removes ANSI escape sequences (packer's -color=true).
    package static func strip(_ line: String) -> String {
        guard line.contains("\u{1B}") else { return line }
        var out = ""
        var iterator = line.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\u{1B}" else {
                out.unicodeScalars.append(scalar)
                continue
            }
            guard let next = iterator.next(), next == "[" else { continue }
            while let c = iterator.next(), !(c.value >= 0x40 && c.value <= 0x7E) {}
        }
        return out
    }
}
