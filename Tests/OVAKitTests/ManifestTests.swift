import OVAKit
import Testing

@Suite struct ManifestTests {
    @Test func rendersTheReferenceLineFormat() {
        let manifest = Manifest(entries: [.init(file: "a.ovf", sha256: "AB01"), .init(file: "a-disk-0.vmdk", sha256: "cd")])
        #expect(manifest.text == "SHA256(a.ovf)= ab01\nSHA256(a-disk-0.vmdk)= cd\n")
    }

    @Test func parsesWhatItRenders() throws {
        let text = "SHA256(x.ovf)= 00ff\nSHA256(y.vmdk)= 11\n"
        #expect(try Manifest(parsing: text).text == text)
        #expect(throws: Manifest.ParseError.self) { try Manifest(parsing: "MD5(x)= 1\n") }
    }

    @Test func namesFollowTheReference() {
        #expect(OVANames(buildName: "ubuntu-2404", kubernetesSemver: "v1.36.1").ova == "ubuntu-2404-kube-v1.36.1.ova")
    }
}
