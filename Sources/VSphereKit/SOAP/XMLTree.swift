import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A parsed XML element: local name, the resolved `xsi:type`, attributes, children, text.
/// (stack-findings §2: FoundationXML's SAX parser into a small tree; `xsi:type` prefixes vary —
/// a real vCenter writes `xsi:type`, the simulator `XMLSchema-instance:type` — so any prefix
/// bound to the XSI namespace counts.)
public struct XMLNode: Sendable, Equatable {
    public let name: String
    /// The local part of the element's `xsi:type` (`string`, `ArrayOfManagedObjectReference`).
    public let xsiType: String?
    public let attributes: [String: String]
    public internal(set) var children: [XMLNode]
    public internal(set) var text: String

    public func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }
    public func children(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }
    /// Follows a path of child names.
    public subscript(path path: String...) -> XMLNode? {
        var node: XMLNode? = self
        for name in path { node = node?.child(name) }
        return node
    }
}

public struct XMLParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let reason: String
    public var description: String { "XML line \(line): \(reason)" }

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }
}

/// Parses a document into an `XMLNode` tree.
public enum XMLTree {
    static let xsiNamespace = "http://www.w3.org/2001/XMLSchema-instance"

    public static func parse(_ bytes: [UInt8]) throws(XMLParseError) -> XMLNode {
        let delegate = Builder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = false
        parser.delegate = delegate
        guard parser.parse(), let root = delegate.root else {
            throw XMLParseError(line: parser.lineNumber, reason: parser.parserError.map { "\($0)" } ?? "no root element")
        }
        return root
    }

    static func local(_ qualified: String) -> String {
        qualified.split(separator: ":", maxSplits: 1).last.map(String.init) ?? qualified
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [(node: XMLNode, namespaces: [String: String])] = []
        var root: XMLNode?

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes: [String: String]
        ) {
            var namespaces = stack.last?.namespaces ?? [:]
            for (key, value) in attributes where key.hasPrefix("xmlns:") { namespaces[String(key.dropFirst(6))] = value }
            var type: String?
            for (key, value) in attributes where key.hasSuffix(":type") {
                let prefix = String(key.dropLast(5))
                if namespaces[prefix] == XMLTree.xsiNamespace || prefix == "xsi" { type = XMLTree.local(value) }
            }
            let node = XMLNode(name: XMLTree.local(elementName), xsiType: type, attributes: attributes, children: [], text: "")
            stack.append((node, namespaces))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].node.text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            guard let (node, _) = stack.popLast() else { return }
            if stack.isEmpty { root = node } else { stack[stack.count - 1].node.children.append(node) }
        }
    }
}
