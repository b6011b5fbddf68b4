/// Escaping for text and attribute values in hand-built SOAP bodies (stack-findings §2: one
/// escape function, every value through it).
public enum XMLText {
    /// `& < > " '` as entities; tab, newline and carriage return as character references;
    /// the characters XML 1.0 cannot carry (other C0 controls, U+FFFE, U+FFFF) dropped. The
    /// result is well-formed as element text and as an attribute value, and reads back exactly
    /// (less what was dropped). VSphereKit's `XMLText.escape` does the same (tested with the
    /// same cases): each module imports none of the other.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x26: out += "&amp;"
            case 0x3C: out += "&lt;"
            case 0x3E: out += "&gt;"
            case 0x22: out += "&quot;"
            case 0x27: out += "&apos;"
            // Tab, newline and carriage return as references: they survive attribute-value
            // normalisation and line-end handling, so every context reads them back exactly.
            case 0x09, 0x0A, 0x0D: out += "&#\(scalar.value);"
            // XML 1.0 cannot carry other C0 controls, nor U+FFFE and U+FFFF: dropped.
            case 0x00..<0x20, 0xFFFE, 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
