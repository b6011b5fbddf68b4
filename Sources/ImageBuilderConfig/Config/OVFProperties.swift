public import ImageBuilderBasics

/// OVF_CUSTOM_PROPERTIES: a JSON object of strings, in file order, checked while planning (a
/// bad file is exit 2 before anything starts) and again by `ova package`. Every value must
/// come back out of the OVF exactly: characters XML cannot carry are refused, not dropped.
package enum OVFProperties {
    /// An OVF descriptor stays small: the file is at most 1 MiB.
    package static let limit = 1 << 20

    /// The properties of the file at `path` (absolute).
    package static func load(_ path: String) throws(ConfigError) -> [(key: String, value: String)] {
        let (bytes, _) = try VarFileLoader.read(path, limit: limit, origin: "OVF_CUSTOM_PROPERTIES")
        let json: JSONValue
        do { json = try JSONParser.parse(bytes) } catch {
            throw .invalidJSON(path: path, line: error.line, column: error.column, reason: error.reason)
        }
        guard case .object(let members) = json else { throw .badProperties(path: path, reason: "expected a JSON object of properties") }
        return try members.map { (member) throws(ConfigError) -> (key: String, value: String) in
            guard !member.key.isEmpty else { throw .badProperties(path: path, reason: "line \(member.line): a property needs a non-empty key") }
            guard let text = member.value.stringValue else {
                throw .badProperties(path: path, reason: "line \(member.line): property '\(member.key)' must be a string")
            }
            for (what, value) in [("key", member.key), ("value", text)] where !representable(value) {
                throw .badProperties(
                    path: path,
                    reason:
                        "line \(member.line): the \(what) of property '\(member.key)' holds a control character an OVF cannot carry (tab, newline and carriage return can)"
                )
            }
            return (member.key, text)
        }
    }

    /// Whether XML 1.0 can carry every character of `text` (tab, newline, CR: yes; other C0
    /// controls, U+FFFE and U+FFFF: no).
    static func representable(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: true
            case 0x00..<0x20, 0xFFFE, 0xFFFF: false
            default: true
            }
        }
    }
}
