import ImageBuilderKit
import Testing

@Suite struct JSONParserTests {
    @Test func keepsKeyOrderNumberLiteralsAndLines() throws {
        let json = try JSONParser.parse("{\n  \"b\": 1.50,\n  \"a\": [true, null],\n  \"c\": \"x\\u00e9\\n\"\n}")
        guard case .object(let members) = json else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["b", "a", "c"])
        #expect(members.map(\.line) == [2, 3, 4])
        #expect(members[0].value == .number("1.50"))
        #expect(members[1].value == .array([.bool(true), .null]))
        #expect(members[2].value == .string("xé\n"))
    }

    @Test(arguments: [
        ("{\"a\": 1,}", 1, 9, "expected a quoted key"),
        ("{\n  \"a\": \"x\"\n  \"b\": 1\n}", 3, 3, "expected ',' or '}'"),
        ("{\"a\": tru}", 1, 7, "expected a value"),
        ("{\"a\": 01}", 1, 8, "leading zero"),
        ("{\"a\": \"\\q\"}", 1, 8, "invalid escape"),
        ("", 1, 1, "empty"),
        ("{} {}", 1, 4, "after the end"),
        ("{\"a\": \"x", 1, 9, "unterminated string"),
        ("{\"é\": !}", 1, 7, "expected a value"),
    ])
    func reportsLineAndColumn(text: String, line: Int, column: Int, reason: String) {
        #expect {
            _ = try JSONParser.parse(text)
        } throws: { error in
            guard let error = error as? JSONSyntaxError else { return false }
            return error.line == line && error.column == column && error.reason.contains(reason)
        }
    }

    @Test func acceptsWhatGoAccepts() throws {
        #expect(try JSONParser.parse(" \t\r\n{\"a\":-0.5e+3}\n") == .object([.init(key: "a", value: .number("-0.5e+3"), line: 2)]))
        #expect(try JSONParser.parse("[\"\\ud83d\\ude00\"]") == .array([.string("😀")]))
    }
}
