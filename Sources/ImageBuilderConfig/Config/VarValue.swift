public import ImageBuilderBasics

/// One value in a var file: what the config check accepts.
package enum VarValue: Sendable, Equatable {
    case string(String)
    /// A number literal as written.
    case number(String)
    case bool(Bool)
    case null

    /// What packer sees: a string (packer's legacy JSON variables are strings; null is "").
    package var packerText: String {
        switch self {
        case .string(let s): s
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        case .null: ""
        }
    }

    /// Packer 1.6.6 reads only strings and null from a var file; a file holding numbers or
    /// booleans is handed to it as a string-only copy.
    package var needsStringCopy: Bool {
        switch self {
        case .number, .bool: true
        case .string, .null: false
        }
    }

    /// A JSON-like rendering for `explain`.
    package var display: String {
        switch self {
        case .string(let s):
            "\""
                + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
        case .number(let n): n
        case .bool(let b): b ? "true" : "false"
        case .null: "null"
        }
    }

    /// Converts a parsed JSON scalar; nil for an object or an array.
    package init?(_ json: JSONValue) {
        switch json {
        case .string(let s): self = .string(s)
        case .number(let n): self = .number(n)
        case .bool(let b): self = .bool(b)
        case .null: self = .null
        case .object, .array: return nil
        }
    }
}
