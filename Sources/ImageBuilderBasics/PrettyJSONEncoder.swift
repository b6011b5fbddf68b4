#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The text Foundation's `JSONEncoder` writes with `[.prettyPrinted, .sortedKeys,
/// .withoutEscapingSlashes]`, byte for byte, without the casts it makes for every value (is it a
/// Date, a URL, Data, a string-keyed dictionary?): each first cast of a type scans every
/// protocol conformance of the binary, and `plan --json` encodes 440 KB of plans at every
/// `make` (goal P1). Doubles and floats are formatted by Foundation itself.
package struct PrettyJSONEncoder {
    package init() {}

    package func encode(_ value: some Encodable) throws -> [UInt8] {
        let root = JSONNode()
        try value.encode(to: JSONNodeEncoder(node: root, codingPath: []))
        var text: [UInt8] = []
        text.reserveCapacity(4096)
        root.write(into: &text, indent: 0)
        return text
    }
}

/// A value being encoded: containers are references, so a nested container handed out
/// earlier can still be filled.
final class JSONNode {
    enum Value {
        case pending
        case scalar([UInt8])
        case object([String: JSONNode])
        case array([JSONNode])
    }

    var value: Value = .pending

    func becomeObject() {
        if case .object = value { return }
        value = .object([:])
    }

    func becomeArray() {
        if case .array = value { return }
        value = .array([])
    }

    func set(_ key: String, _ child: JSONNode) {
        guard case .object(var members) = value else { return }
        value = .pending  // members is now the only reference: no copy on write
        members[key] = child
        value = .object(members)
    }

    func append(_ child: JSONNode) {
        guard case .array(var elements) = value else { return }
        value = .pending
        elements.append(child)
        value = .array(elements)
    }

    static func scalar(_ bytes: [UInt8]) -> JSONNode {
        let node = JSONNode()
        node.value = .scalar(bytes)
        return node
    }

    static var null: JSONNode { scalar(Array("null".utf8)) }

    static func bool(_ value: Bool) -> JSONNode { scalar(Array((value ? "true" : "false").utf8)) }

    static func integer(_ value: some BinaryInteger) -> JSONNode { scalar(Array(String(value).utf8)) }

    static func string(_ text: String) -> JSONNode {
        var bytes: [UInt8] = []
        JSONNode.writeString(text, into: &bytes)
        return scalar(bytes)
    }

    static func double(_ value: Double) throws -> JSONNode {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return scalar(Array(try encoder.encode(value)))
    }

    /// Foundation's layout: two spaces a level, `"key" : value`, keys in byte order, an
    /// empty container as an opening and a closing line with an empty line between.
    func write(into text: inout [UInt8], indent: Int) {
        switch value {
        case .scalar(let bytes):
            text += bytes
        case .pending:
            text += Array("{\n\n".utf8)
            text += repeatElement(0x20, count: indent)
            text.append(UInt8(ascii: "}"))
        case .object(let members):
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            text.append(UInt8(ascii: "{"))
            text.append(0x0A)
            if keys.isEmpty { text.append(0x0A) }
            for (index, key) in keys.enumerated() {
                text += repeatElement(0x20, count: indent + 2)
                JSONNode.writeString(key, into: &text)
                text += [0x20, UInt8(ascii: ":"), 0x20]
                members[key]!.write(into: &text, indent: indent + 2)
                if index < keys.count - 1 { text.append(UInt8(ascii: ",")) }
                text.append(0x0A)
            }
            text += repeatElement(0x20, count: indent)
            text.append(UInt8(ascii: "}"))
        case .array(let elements):
            text.append(UInt8(ascii: "["))
            text.append(0x0A)
            if elements.isEmpty { text.append(0x0A) }
            for (index, element) in elements.enumerated() {
                text += repeatElement(0x20, count: indent + 2)
                element.write(into: &text, indent: indent + 2)
                if index < elements.count - 1 { text.append(UInt8(ascii: ",")) }
                text.append(0x0A)
            }
            text += repeatElement(0x20, count: indent)
            text.append(UInt8(ascii: "]"))
        }
    }

    /// Quotes and backslashes escaped, control characters as `\n`-style or `\u00xx` escapes;
    /// slashes and everything else as they are.
    static func writeString(_ string: String, into text: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        text.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): text += [0x5C, UInt8(ascii: "\"")]
            case 0x5C: text += [0x5C, 0x5C]
            case 0x0A: text += [0x5C, UInt8(ascii: "n")]
            case 0x0D: text += [0x5C, UInt8(ascii: "r")]
            case 0x09: text += [0x5C, UInt8(ascii: "t")]
            case 0x08: text += [0x5C, UInt8(ascii: "b")]
            case 0x0C: text += [0x5C, UInt8(ascii: "f")]
            case 0..<0x20:
                text += Array("\\u00".utf8)
                text += [hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            default: text.append(byte)
            }
        }
        text.append(UInt8(ascii: "\""))
    }
}
