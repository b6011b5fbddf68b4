/// A parsed JSON value that keeps what the config checks need and Foundation drops:
/// object key order, number literals as written, and the line of every key.
package indirect enum JSONValue: Sendable, Equatable {
    case object([Member])
    case array([JSONValue])
    case string(String)
    /// The number exactly as written in the file.
    case number(String)
    case bool(Bool)
    case null

    /// One object member with the 1-based line where its key starts.
    package struct Member: Sendable, Equatable {
        package let key: String
        package let value: JSONValue
        package let line: Int

        package init(key: String, value: JSONValue, line: Int) {
            self.key = key
            self.value = value
            self.line = line
        }
    }

    /// A word for messages: "an object", "a string" …
    package var kindDescription: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }

    /// Member lookup (last one wins, as in Go's encoding/json).
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    package var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    package var arrayValue: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }
}

/// A JSON syntax error with its 1-based position.
package struct JSONSyntaxError: Error, Equatable, Sendable {
    package let line: Int
    package let column: Int
    package let reason: String
}
