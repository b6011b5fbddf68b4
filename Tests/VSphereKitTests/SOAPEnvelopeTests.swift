import Testing
import VSphereKit

@Suite struct SOAPEnvelopeTests {
    @Test func escapesTextAndAttributes() {
        #expect(XMLText.escape("a&b<c>\"d'") == "a&amp;b&lt;c&gt;&quot;d&apos;")
    }

    @Test func buildsAMethodCallOnAManagedObject() {
        let body = SOAPEnvelope.call("PowerOnVM_Task", on: ManagedObjectReference(type: "VirtualMachine", value: "vm-1&"))
        #expect(body.contains("<PowerOnVM_Task xmlns=\"urn:vim25\"><_this type=\"VirtualMachine\">vm-1&amp;</_this></PowerOnVM_Task>"))
        #expect(body.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"))
    }
}
