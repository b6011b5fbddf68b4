import ImageBuilderTestSupport
import Testing
import VSphereKit

/// VSphereKit's XML escape, with the cases OVAKit's is tested with; read back by Foundation's parser.
@Suite struct XMLEscapeTests {
    @Test(arguments: XMLEscapeCases.all)
    func escapesAndReadsBackInTextAndAttributes(_ c: XMLEscapeCases.Case) throws {
        #expect(XMLText.escape(c.input) == c.escaped)
        let read = try #require(XMLEscapeCases.readBack(XMLText.escape(c.input)))
        #expect(read.text == c.readBack)
        #expect(read.attribute == c.readBack)
    }
}
