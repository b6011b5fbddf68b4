import ImageBuilderKit
import Testing

@Suite struct ShellWordsTests {
    @Test(arguments: [
        ("-var a=b -on-error=ask", ["-var", "a=b", "-on-error=ask"]),
        ("-var 'a=b c' -var \"d=e \\\"f\\\"\"", ["-var", "a=b c", "-var", "d=e \"f\""]),
        ("  x\\ y  ''  ", ["x y", ""]),
        ("a\"b\"'c'", ["abc"]),
    ])
    func splitsLikeAShell(text: String, words: [String]) throws {
        #expect(try ShellWords.split(text) == words)
    }

    @Test func refusesUnterminatedQuotes() {
        #expect(throws: ShellWords.SplitError.unterminatedQuote("'")) { try ShellWords.split("-var 'a=b") }
        #expect(throws: ShellWords.SplitError.trailingBackslash) { try ShellWords.split("a\\") }
    }

    @Test func pathListKeepsEscapedSpaces() {
        #expect(ShellWords.splitPathList("a.json  my\\ dir/b.json\tc.json") == ["a.json", "my dir/b.json", "c.json"])
        #expect(ShellWords.splitPathList("   ").isEmpty)
    }

    @Test func quotesForDisplay() {
        #expect(ShellWords.join(["packer", "-var", "a=b c", "it's"]) == "packer -var 'a=b c' 'it'\\''s'")
    }
}
