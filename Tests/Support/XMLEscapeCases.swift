import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The cases both XML escapes (OVAKit's `OVFDescriptor.escape`, VSphereKit's `XMLText.escape`)
/// are tested with: the input, the escaped text, and what an XML parser reads back.
package enum XMLEscapeCases {
    package struct Case: Sendable, CustomStringConvertible {
        package let input: String
        package let escaped: String
        package let readBack: String
        package var description: String { input.debugDescription }
    }

    package static let all: [Case] = [
        Case(input: "plain text", escaped: "plain text", readBack: "plain text"),
        Case(input: "a&b<c>\"d'", escaped: "a&amp;b&lt;c&gt;&quot;d&apos;", readBack: "a&b<c>\"d'"),
        Case(input: "tab\tnew\nline\r", escaped: "tab&#9;new&#10;line&#13;", readBack: "tab\tnew\nline\r"),
        Case(input: "nul\u{0}bell\u{7}esc\u{1B}[0m", escaped: "nulbellesc[0m", readBack: "nulbellesc[0m"),
        Case(input: "\u{FFFE}x\u{FFFF}", escaped: "x", readBack: "x"),
        Case(input: "ünïcødé ✓ 🚀 &amp;", escaped: "ünïcødé ✓ 🚀 &amp;amp;", readBack: "ünïcødé ✓ 🚀 &amp;"),
        Case(input: "]]> `$(x)` \\", escaped: "]]&gt; `$(x)` \\", readBack: "]]> `$(x)` \\"),
    ]

    /// What Foundation's XML parser reads from an element whose attribute and text both hold
    /// `escaped`: (text, attribute); nil when the document is not well-formed.
    package static func readBack(_ escaped: String) -> (text: String, attribute: String)? {
        let document = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><e a=\"\(escaped)\">\(escaped)</e>"
        let parser = XMLParser(data: Data(document.utf8))
        let reader = Reader()
        parser.delegate = reader
        guard parser.parse(), let attribute = reader.attribute else { return nil }
        return (reader.text, attribute)
    }

    private final class Reader: NSObject, XMLParserDelegate {
        var text = ""
        var attribute: String?
        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName qName: String?, attributes: [String: String]
        ) {
            attribute = attributes["a"]
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }
}
