import Foundation

/// Reads an XML-RPC `methodResponse`: its value, or its fault.
public enum XMLRPCResponse {
    public enum Outcome: Sendable, Equatable {
        case value(XMLRPCValue)
        case fault(code: Int, message: String)
    }

    public static func parse(_ bytes: [UInt8]) -> Outcome? {
        guard let root = XMLTreeNode.parse(bytes), root.name == "methodResponse" else { return nil }
        if let fault = root.child("fault")?.child("value"), let value = value(fault) {
            guard case .struct(let members) = value else { return nil }
            return .fault(code: members["faultCode"]?.int ?? 0, message: members["faultString"]?.string ?? "")
        }
        guard let node = root.child("params")?.child("param")?.child("value"), let value = value(node) else { return nil }
        return .value(value)
    }

    static func value(_ node: XMLTreeNode) -> XMLRPCValue? {
        guard let typed = node.children.first else { return .string(node.text) }
        switch typed.name {
        case "int", "i4", "i8": return Int(typed.text.trimmingCharacters(in: .whitespacesAndNewlines)).map(XMLRPCValue.int)
        case "boolean": return .bool(typed.text.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        case "string": return .string(typed.text)
        case "double": return Double(typed.text.trimmingCharacters(in: .whitespacesAndNewlines)).map(XMLRPCValue.double)
        case "array":
            var values: [XMLRPCValue] = []
            for child in typed.child("data")?.all("value") ?? [] {
                guard let value = value(child) else { return nil }
                values.append(value)
            }
            return .array(values)
        case "struct":
            var members: [String: XMLRPCValue] = [:]
            for member in typed.all("member") {
                guard let name = member.child("name")?.text, let child = member.child("value"), let value = value(child) else { return nil }
                members[name] = value
            }
            return .struct(members)
        default: return nil
        }
    }
}
