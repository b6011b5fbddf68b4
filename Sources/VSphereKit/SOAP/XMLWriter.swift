/// Writes a parsed node back as a SOAP parameter: how an object vCenter returned (an import
/// spec) is passed to the next call. `xsi:type` is written with the envelope's `xsi` prefix;
/// namespace declarations are dropped (the method element sets `urn:vim25`).
extension XMLNode {
    public func xml(named name: String? = nil) -> String {
        var out = "<" + (name ?? self.name)
        if let xsiType { out += " xsi:type=\"\(XMLText.escape(xsiType))\"" }
        for (key, value) in attributes.sorted(by: { $0.key < $1.key })
        where !key.hasPrefix("xmlns") && !key.hasSuffix(":type") {
            out += " \(key)=\"\(XMLText.escape(value))\""
        }
        out += ">"
        if children.isEmpty {
            out += XMLText.escape(text)
        } else {
            for child in children { out += child.xml() }
        }
        return out + "</" + (name ?? self.name) + ">"
    }
}
