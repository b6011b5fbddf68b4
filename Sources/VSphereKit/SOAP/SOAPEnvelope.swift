/// A vSphere managed object reference: `<obj type="VirtualMachine">vm-42</obj>`.
public struct ManagedObjectReference: Sendable, Hashable {
    public let type: String
    public let value: String

    public init(type: String, value: String) {
        self.type = type
        self.value = value
    }

    /// The reference as an element named `name`.
    public func xml(_ name: String) -> String {
        "<\(name) type=\"\(XMLText.escape(type))\">\(XMLText.escape(value))</\(name)>"
    }
}

/// Builds SOAP 1.1 envelopes for the vim25 API.
public enum SOAPEnvelope {
    /// Wraps a body element in an envelope.
    public static func wrap(_ body: String) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
            + " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
            + "<soapenv:Body>" + body + "</soapenv:Body></soapenv:Envelope>"
    }

    /// A method call on `object`; `parameters` are already-built child elements, in schema order.
    public static func call(_ method: String, on object: ManagedObjectReference, parameters: [String] = []) -> String {
        wrap("<\(method) xmlns=\"urn:vim25\">" + object.xml("_this") + parameters.joined() + "</\(method)>")
    }
}
