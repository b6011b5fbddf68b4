import Foundation

/// JSON as Keystone and Glance send it, read without a schema (Glance's image properties are
/// free-form: a model type would drop the ones it does not name).
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var int64: Int64? {
        if case .number(let number) = self, number == number.rounded(), abs(number) < 9e15 { return Int64(number) }
        return nil
    }

    public var array: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var object: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// A property's value as text: strings as they are, other scalars in their JSON form.
    public var text: String? {
        switch self {
        case .string(let text): text
        case .bool(let flag): String(flag)
        case .number(let number): number == number.rounded() && abs(number) < 9e15 ? String(Int64(number)) : String(number)
        default: nil
        }
    }

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try convert(JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]))
    }

    static func convert(_ any: Any) throws -> JSONValue {
        switch any {
        case is NSNull: return .null
        case let number as NSNumber:
            // NSNumber bridges booleans too: tell them apart by their Objective-C type.
            if String(cString: number.objCType) == "c" {
                return .bool(number.boolValue)
            }
            return .number(number.doubleValue)
        case let text as String: return .string(text)
        case let items as [Any]: return .array(try items.map(convert))
        case let members as [String: Any]: return .object(try members.mapValues(convert))
        default: throw CocoaError(.coderReadCorrupt)
        }
    }

    /// Compact JSON for a request body.
    public func encoded() -> [UInt8] {
        var out = ""
        write(into: &out)
        return Array(out.utf8)
    }

    private func write(into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let number): out += number == number.rounded() && abs(number) < 9e15 ? String(Int64(number)) : String(number)
        case .string(let text): Self.quote(text, into: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(into: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                Self.quote(key, into: &out)
                out += ":"
                members[key]!.write(into: &out)
            }
            out += "}"
        }
    }

    private static func quote(_ text: String, into out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
