/// A SOAP fault from vCenter, typed by its detail (`InvalidLogin`, `ManagedObjectNotFound` …).
public struct SOAPFault: Error, Sendable, Equatable, CustomStringConvertible {
    public let code: String
    public let message: String
    /// The fault's type from `detail` (its xsi:type, or the element name without `Fault`).
    public let type: String?
    /// The object the fault names, when it names one.
    public let object: ManagedObjectReference?

    public init(code: String, message: String, type: String?, object: ManagedObjectReference?) {
        self.code = code
        self.message = message
        self.type = type
        self.object = object
    }

    public var description: String { "\(type ?? code): \(message)" + (object.map { " (\($0.type) \($0.value))" } ?? "") }
}

extension ManagedObjectReference {
    /// From an element like `<obj type="VirtualMachine">vm-42</obj>`.
    public init?(_ node: XMLNode) {
        guard let type = node.attributes["type"], !node.text.isEmpty else { return nil }
        self.init(type: type, value: node.text)
    }
}

/// Reading vim25 SOAP responses.
public enum SOAPResponse {
    /// The body's first element (the `…Response`); a `Fault` is thrown as `SOAPFault`.
    public static func body(_ bytes: [UInt8]) throws -> XMLNode {
        let envelope = try XMLTree.parse(bytes)
        guard let body = envelope.child("Body"), let first = body.children.first else {
            throw XMLParseError(line: 0, reason: "not a SOAP envelope")
        }
        if first.name == "Fault" {
            let detail = first.child("detail")?.children.first
            let type = detail?.xsiType ?? detail.map { $0.name.hasSuffix("Fault") ? String($0.name.dropLast(5)) : $0.name }
            throw SOAPFault(
                code: first.child("faultcode")?.text ?? "", message: first.child("faultstring")?.text ?? "",
                type: type, object: detail?.child("obj").flatMap(ManagedObjectReference.init))
        }
        return first
    }

    /// One property value of a `RetrievePropertiesEx` result.
    public enum PropertyValue: Sendable, Equatable {
        case string(String)
        case reference(ManagedObjectReference)
        case references([ManagedObjectReference])
        case other(XMLNode)
    }

    /// `objects` of a `RetrievePropertiesExResponse`: each object with its properties by name.
    public static func objects(_ response: XMLNode) -> [(ManagedObjectReference, [String: PropertyValue])] {
        (response.child("returnval")?.children("objects") ?? []).compactMap { object in
            guard let reference = object.child("obj").flatMap(ManagedObjectReference.init) else { return nil }
            var properties: [String: PropertyValue] = [:]
            for property in object.children("propSet") {
                guard let name = property.child("name")?.text, let value = property.child("val") else { continue }
                switch value.xsiType {
                case "ManagedObjectReference":
                    properties[name] = ManagedObjectReference(value).map(PropertyValue.reference) ?? .other(value)
                case "ArrayOfManagedObjectReference":
                    properties[name] = .references(value.children.compactMap(ManagedObjectReference.init))
                case "string", "boolean", "int", "long", "dateTime":
                    properties[name] = .string(value.text)
                default:
                    properties[name] = value.children.isEmpty ? .string(value.text) : .other(value)
                }
            }
            return (reference, properties)
        }
    }

    /// A fault of `type` reported per object in `missingSet` (the simulator reports an expired
    /// session this way inside a successful RetrievePropertiesEx).
    public static func missingFault(_ response: XMLNode, type: String) -> SOAPFault? {
        for object in response.child("returnval")?.children("objects") ?? [] {
            for missing in object.children("missingSet") {
                guard let fault = missing[path: "fault", "fault"] ?? missing.child("fault"), fault.xsiType == type else { continue }
                return SOAPFault(
                    code: "ServerFaultCode", message: missing[path: "fault", "localizedMessage"]?.text ?? type,
                    type: type, object: object.child("obj").flatMap(ManagedObjectReference.init))
            }
        }
        return nil
    }
}
