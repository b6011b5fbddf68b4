/// An XML-RPC value (the subset OpenNebula's API uses), its encoding, and the method call.
public indirect enum XMLRPCValue: Sendable, Equatable {
    case int(Int)
    case bool(Bool)
    case string(String)
    case double(Double)
    case array([XMLRPCValue])
    case `struct`([String: XMLRPCValue])

    public var int: Int? { if case .int(let value) = self { value } else { nil } }
    public var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    public var string: String? { if case .string(let value) = self { value } else { nil } }
    public var array: [XMLRPCValue]? { if case .array(let value) = self { value } else { nil } }

    /// `<value>…</value>`.
    public var xml: String {
        switch self {
        case .int(let value): "<value><int>\(value)</int></value>"
        case .bool(let value): "<value><boolean>\(value ? 1 : 0)</boolean></value>"
        case .string(let value): "<value><string>\(Self.escape(value))</string></value>"
        case .double(let value): "<value><double>\(value)</double></value>"
        case .array(let values): "<value><array><data>" + values.map(\.xml).joined() + "</data></array></value>"
        case .struct(let members):
            "<value><struct>"
                + members.keys.sorted().map { "<member><name>\(Self.escape($0))</name>\(members[$0]!.xml)</member>" }.joined()
                + "</struct></value>"
        }
    }

    /// A `methodCall` document.
    public static func call(_ method: String, _ parameters: [XMLRPCValue]) -> String {
        "<?xml version=\"1.0\"?>\n<methodCall><methodName>\(escape(method))</methodName><params>"
            + parameters.map { "<param>\($0.xml)</param>" }.joined() + "</params></methodCall>\n"
    }

    /// XML character data: `& < >` always, quotes too; carriage returns kept as references.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
