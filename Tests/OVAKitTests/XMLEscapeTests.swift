import ImageBuilderTestSupport
import OVAKit
import Testing

/// OVAKit's XML escape, with the cases VSphereKit's is tested with; read back by Foundation's parser.
@Suite struct XMLEscapeTests {
    @Test(arguments: XMLEscapeCases.all)
    func escapesAndReadsBackInTextAndAttributes(_ c: XMLEscapeCases.Case) throws {
        #expect(OVFDescriptor.escape(c.input) == c.escaped)
        let read = try #require(XMLEscapeCases.readBack(OVFDescriptor.escape(c.input)))
        #expect(read.text == c.readBack)
        #expect(read.attribute == c.readBack)
    }
}
