import ImageBuilderKit
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What reaches logs and the terminal: every secret's text and its base64 forms redacted.
@Suite struct RedactorTests {
    let redact = Redactor([Secret("s3cret-Passw0rd"), Secret("ab"), Secret("-----BEGIN KEY-----\nMIIEvQIBADANBgkq\n-----END KEY-----")])

    @Test func aSecretAnywhereInALineIsRedacted() {
        #expect(redact("password=s3cret-Passw0rd;") == "password=<redacted>;")
        #expect(redact("s3cret-Passw0rd s3cret-Passw0rd") == "<redacted> <redacted>")
        #expect(redact("nothing here") == "nothing here")
    }

    @Test func base64FormsArePaddedOrNot() {
        let encoded = Data("s3cret-Passw0rd".utf8).base64EncodedString()
        #expect(redact("guestinfo=\(encoded)") == "guestinfo=<redacted>")
        var unpadded = encoded
        while unpadded.hasSuffix("=") { unpadded.removeLast() }
        #expect(!redact("x \(unpadded) y").contains(unpadded))
    }

    @Test("a secret split over lines is redacted in each line")
    func splitLines() {
        let lines = ["-----BEGIN KEY-----", "MIIEvQIBADANBgkq", "-----END KEY-----"].map(redact.callAsFunction)
        #expect(lines.allSatisfy { $0 == "<redacted>" })
        #expect(!redact("key: MIIEvQIBADANBgkq").contains("MIIEvQIBADANBgkq"))
    }

    @Test("a secret shorter than three characters is left alone (it would mangle every line)")
    func shortSecretsAreNotSearched() {
        #expect(redact("abc cab") == "abc cab")
    }

    @Test("the longer form wins where two overlap")
    func longestFirst() {
        let r = Redactor([Secret("abc"), Secret("abcdef")])
        #expect(r("abcdef") == "<redacted>")
    }
}
