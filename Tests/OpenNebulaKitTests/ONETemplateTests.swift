import Foundation
import ImageBuilderTestSupport
import OpenNebulaKit
import Testing

/// OpenNebula's template syntax and XML-RPC, both ways.
@Suite struct ONETemplateTests {
    @Test(arguments: ["plain", #"a "quoted" name"#, #"back\slash\\"#, "two\nlines", "[brackets], = and # signs", ""])
    func valuesSurviveQuotingAndParsing(_ value: String) throws {
        var template = ONETemplate()
        template.set("NAME", value)
        template.vector("RAW", [("TYPE", "vmware"), ("DATA_VMX", value)])
        let parsed = try #require(ONETemplate.parse(template.text), "\(template.text)")
        #expect(parsed == template)
        #expect(parsed.value("NAME") == value)
    }

    @Test func openNebulasOwnTextIsRead() throws {
        let text = """
            # an image
            NAME = ubuntu
            PATH="/var/tmp/x"
            DISK = [ IMAGE = "ubuntu", DEV_PREFIX = sd ]
            """
        let parsed = try #require(ONETemplate.parse(text))
        #expect(parsed.value("NAME") == "ubuntu" && parsed.value("PATH") == "/var/tmp/x")
        #expect(parsed.attributes.last == .vector("DISK", [("IMAGE", "ubuntu"), ("DEV_PREFIX", "sd")]))
        #expect(ONETemplate.parse("NAME = \"unterminated") == nil)
        #expect(ONETemplate.parse("= value") == nil)
    }

    @Test func xmlRPCCallsAndAnswers() throws {
        let call = XMLRPCValue.call("one.image.allocate", [.string("u:p<&>"), .int(-1), .bool(true)])
        #expect(call.contains("<methodName>one.image.allocate</methodName>"))
        #expect(
            call.contains(
                "<param><value><string>u:p&lt;&amp;&gt;</string></value></param><param><value><int>-1</int></value></param>"
                    + "<param><value><boolean>1</boolean></value></param>"), "\(call)")
        let answer = """
            <?xml version="1.0"?><methodResponse><params><param><value><array><data>
            <value><boolean>1</boolean></value><value><i4>42</i4></value><value><i4>0</i4></value>
            </data></array></value></param></params></methodResponse>
            """
        #expect(XMLRPCResponse.parse(Array(answer.utf8)) == .value(.array([.bool(true), .int(42), .int(0)])))
        let fault = """
            <methodResponse><fault><value><struct><member><name>faultCode</name><value><int>4</int></value></member>
            <member><name>faultString</name><value>Too many parameters</value></member></struct></value></fault></methodResponse>
            """
        #expect(XMLRPCResponse.parse(Array(fault.utf8)) == .fault(code: 4, message: "Too many parameters"))
        #expect(XMLRPCResponse.parse(Array("<methodResponse><params>".utf8)) == nil)
    }

    @Test func credentialsTheOpenNebulaWay() throws {
        let dir = try Fixtures.makeTemporaryDirectory("ib-one-auth")
        try Fixtures.write("oneadmin:s3cret\n", to: dir + "/one_auth", mode: 0o600)
        let fromFile = try ONECredentials.resolve(["ONE_AUTH": dir + "/one_auth", "ONE_XMLRPC": "http://127.0.0.1:2633/RPC2"])
        #expect(fromFile.user == "oneadmin" && fromFile.endpoint == "http://127.0.0.1:2633/RPC2")
        #expect(!"\(fromFile)".contains("s3cret"))
        let literal = try ONECredentials.resolve(["ONE_AUTH": "alice:pw"])
        #expect(literal.user == "alice" && literal.endpoint == "http://localhost:2633/RPC2")
        let home = try ONECredentials.resolve(["HOME": dir + "/home"].merging(["ONE_AUTH": dir + "/one_auth"]) { $1 })
        #expect(home.user == "oneadmin")
        #expect(throws: ONEError.self) { try ONECredentials.resolve(["ONE_AUTH": dir + "/missing"]) }
        #expect(throws: ONEError.self) { try ONECredentials.resolve(["ONE_AUTH": "nocolon", "HOME": dir]) }
        #expect(throws: ONEError.self) { try ONECredentials.resolve(["ONE_AUTH": "a:b", "ONE_XMLRPC": "ftp://x"]) }
        #expect(mkfifo(dir + "/fifo", 0o600) == 0)
        #expect(throws: ONEError.self) { try ONECredentials.resolve(["ONE_AUTH": dir + "/fifo"]) }
    }
}
