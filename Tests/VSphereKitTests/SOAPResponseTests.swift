import Testing
import VSphereKit

#if canImport(Glibc)
    import Glibc
#endif

/// Real responses recorded from the embedded simulator (Tests/VSphereKitTests/Fixtures).
@Suite struct SOAPResponseTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        var path = #filePath
        path = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
        guard let data = FileBytes.read(path + "/Fixtures/" + name) else { throw XMLParseError(line: 0, reason: "no fixture \(name)") }
        return data
    }

    @Test func readsServiceContent() throws {
        let body = try SOAPResponse.body(try Self.fixture("RetrieveServiceContent.xml"))
        #expect(body.name == "RetrieveServiceContentResponse")
        let content = try #require(body.child("returnval"))
        #expect(content.child("rootFolder").flatMap(ManagedObjectReference.init) == ManagedObjectReference(type: "Folder", value: "group-d1"))
        #expect(content[path: "about", "apiVersion"]?.text == "6.5")
    }

    @Test func faultsAreTypedFromTheirDetail() throws {
        #expect(throws: SOAPFault(code: "ServerFaultCode", message: "Login failure", type: "InvalidLogin", object: nil)) {
            _ = try SOAPResponse.body(try Self.fixture("InvalidLogin.xml"))
        }
        #expect(
            throws: SOAPFault(
                code: "ServerFaultCode", message: "The object has already been deleted or has not been completely created",
                type: "ManagedObjectNotFound", object: ManagedObjectReference(type: "VirtualMachine", value: "vm-54"))
        ) {
            _ = try SOAPResponse.body(try Self.fixture("ManagedObjectNotFound.xml"))
        }
    }

    /// The simulator types values with its own prefix (`XMLSchema-instance:type`).
    @Test func propertiesResolveTheSimulatorsXSIPrefix() throws {
        let objects = SOAPResponse.objects(try SOAPResponse.body(try Self.fixture("RetrievePropertiesEx.xml")))
        #expect(objects.count == 1)
        let (folder, properties) = try #require(objects.first)
        #expect(folder == ManagedObjectReference(type: "Folder", value: "group-d1"))
        #expect(properties["name"] == .string("Datacenters"))
        #expect(properties["childEntity"] == .references([ManagedObjectReference(type: "Datacenter", value: "datacenter-2")]))
    }

    @Test func aRealVCentersXSIPrefixWorksToo() throws {
        let xml = """
            <?xml version="1.0"?><e:Envelope xmlns:e="http://schemas.xmlsoap.org/soap/envelope/" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><e:Body><RetrievePropertiesExResponse xmlns="urn:vim25">\
            <returnval><objects><obj type="VirtualMachine">vm-1</obj><propSet><name>runtime.powerState</name>\
            <val xsi:type="VirtualMachinePowerState">poweredOff</val></propSet></objects></returnval>\
            </RetrievePropertiesExResponse></e:Body></e:Envelope>
            """
        let objects = SOAPResponse.objects(try SOAPResponse.body(Array(xml.utf8)))
        #expect(objects.first?.1["runtime.powerState"] == .string("poweredOff"))
    }

    @Test func badXMLIsAnError() {
        #expect(throws: XMLParseError.self) { _ = try SOAPResponse.body(Array("<a><b></a>".utf8)) }
    }
}

/// Reads a fixture without Foundation in the test's API surface.
enum FileBytes {
    static func read(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return bytes
    }
}
