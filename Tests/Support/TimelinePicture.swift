import Foundation
import ImageBuilderKit

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A run's timeline SVG read back as XML (the parser refuses anything that is not well formed):
/// its rows, their spans and result labels, the axis' scale and its tick labels.
package struct TimelinePicture {
    package struct Span {
        package let kind: String
        package let start: Double
        package let end: Double
        package let x: Double
        package let width: Double
    }

    package struct Row {
        package let target: String
        package let result: String
        package var label = ""
        package var resultText = ""
        package var spans: [Span] = []
    }

    package var rows: [Row] = []
    package var pixelsPerSecond = 0.0
    package var ticks: [String] = []
    package var legend: [String] = []
    package var width = 0.0
    package var height = 0.0
    /// Elements that would make it not self-contained (script, image, foreignObject, links).
    package var foreign: [String] = []

    package static func parse(_ text: String) throws -> TimelinePicture {
        let reader = Reader()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = reader
        guard parser.parse(), text.hasSuffix("</svg>\n") else { throw NotAPicture(reason: parser.parserError.map { "\($0)" } ?? "cut short") }
        return reader.picture
    }

    package struct NotAPicture: Error { let reason: String }

    private final class Reader: NSObject, XMLParserDelegate {
        var picture = TimelinePicture()
        var stack: [(name: String, attributes: [String: String])] = []
        var text = ""
        var inLegend = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            stack.append((name, attributes))
            text = ""
            let number = { (key: String) in Double(attributes[key] ?? "") ?? -1 }
            if ["script", "image", "foreignObject", "a", "use", "style"].contains(name) { picture.foreign.append(name) }
            for (key, value) in attributes where key.hasSuffix("href") || value.contains("url(") { picture.foreign.append("\(name) \(key)") }
            switch (name, attributes["class"]) {
            case ("svg", _):
                picture.width = number("width")
                picture.height = number("height")
            case ("g", "row"): picture.rows.append(Row(target: attributes["data-target"] ?? "", result: attributes["data-result"] ?? ""))
            case ("g", "axis"): picture.pixelsPerSecond = number("data-px-per-second")
            case ("g", "legend"): inLegend = true
            case ("rect", "span"):
                picture.rows[picture.rows.count - 1].spans.append(
                    Span(
                        kind: attributes["data-kind"] ?? "", start: number("data-start"), end: number("data-end"), x: number("x"),
                        width: number("width")))
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            let element = stack.removeLast()
            guard name == "text" else {
                if name == "g", element.attributes["class"] == "legend" { inLegend = false }
                return
            }
            switch element.attributes["class"] {
            case "label": picture.rows[picture.rows.count - 1].label = text
            case "result": picture.rows[picture.rows.count - 1].resultText = text
            case "tick": picture.ticks.append(text)
            default: if inLegend { picture.legend.append(text) }
            }
        }
    }
}

extension JSONValue {
    /// A JSON number as a Double (test reading only).
    package var numberValue: Double? { if case .number(let text) = self { Double(text) } else { nil } }
}
