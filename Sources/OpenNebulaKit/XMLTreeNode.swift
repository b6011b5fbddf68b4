import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A small element tree read with Foundation's parser: an XML-RPC response, or the XML documents
/// OpenNebula returns inside one (`<IMAGE>`, `<IMAGE_POOL>`). Refuses what is not well-formed or
/// cut short.
public final class XMLTreeNode: Sendable {
    public let name: String
    public let text: String
    public let children: [XMLTreeNode]

    init(name: String, text: String, children: [XMLTreeNode]) {
        self.name = name
        self.text = text
        self.children = children
    }

    public func child(_ name: String) -> XMLTreeNode? { children.first { $0.name == name } }
    public func all(_ name: String) -> [XMLTreeNode] { children.filter { $0.name == name } }
    /// The text of a path of children (`TEMPLATE`, `ERROR`).
    public func value(_ path: String...) -> String? {
        var node: XMLTreeNode? = self
        for name in path { node = node?.child(name) }
        return node?.text
    }

    public static func parse(_ bytes: [UInt8]) -> XMLTreeNode? {
        let parser = XMLParser(data: Data(bytes))
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), builder.stack.isEmpty, let root = builder.root else { return nil }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [(name: String, text: String, children: [XMLTreeNode])] = []
        var root: XMLTreeNode?

        func parser(
            _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String]
        ) {
            stack.append((element, "", []))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if !stack.isEmpty { stack[stack.count - 1].text += string }
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            if !stack.isEmpty { stack[stack.count - 1].text += String(decoding: block, as: UTF8.self) }
        }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            guard let top = stack.popLast() else { return }
            let node = XMLTreeNode(name: top.name, text: top.text, children: top.children)
            if stack.isEmpty { root = node } else { stack[stack.count - 1].children.append(node) }
        }
    }
}
