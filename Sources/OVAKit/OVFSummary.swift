import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// What an OVF descriptor says about the machine it describes, read back from any OVF (ours or
/// ovftool's): the guest type, firmware, the boot disk's controller, the first NIC, the disks with
/// their capacity in bytes, and the product properties. Prefixes are ignored: `rasd:`, `vmw:` and
/// `ovf:` are matched by local name.
public struct OVFSummary: Sendable, Equatable {
    public init() {}

    public struct Disk: Sendable, Equatable {
        /// The member the disk's `fileRef` names.
        public let href: String
        public let capacityBytes: Int64
        public let format: String
    }

    public var name = ""
    public var guestOSType = ""
    /// `efi` or `bios` (vmw:Config firmware; bios when absent).
    public var firmware = "bios"
    /// vmw:Config bootOptions.efiSecureBootEnabled.
    public var secureBoot = false
    /// The VirtualSystemType (`vmx-15`).
    public var hardwareVersion = ""
    /// The ResourceSubType of the controller the first disk hangs on (`VirtualSCSI`,
    /// `lsilogic`, `lsilogicsas`, `buslogic`, `vmware.nvme.controller`, `vmware.sata.ahci`), or
    /// `ide` for an IDE controller; empty when the descriptor does not say.
    public var diskController = ""
    /// The first NIC's ResourceSubType (`VmxNet3`, `E1000`, `E1000e`, …); empty when none.
    public var networkCard = ""
    public var disks: [Disk] = []
    /// Virtual CPUs (ResourceType 3), cores per socket (vmw:CoresPerSocket), memory in MiB
    /// (ResourceType 4, its AllocationUnits applied); 0 when the descriptor does not say.
    public var cpus = 0
    public var coresPerSocket = 0
    public var memoryMiB: Int64 = 0
    /// ProductSection properties by key.
    public var properties: [String: String] = [:]

    public struct Malformed: Error, Sendable, Equatable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// Bytes of `byte * 2^20`, `byte * 1024`, `byte` and the like; nil for other units.
    static func multiplier(_ units: String?) -> Int64? {
        guard let units = units?.replacingOccurrences(of: " ", with: ""), !units.isEmpty, units != "byte" else { return 1 }
        guard units.hasPrefix("byte*") else { return nil }
        let factor = units.dropFirst(5)
        if let caret = factor.firstIndex(of: "^"), let base = Int64(factor[..<caret]), let power = Int64(factor[factor.index(after: caret)...]),
            power < 62
        {
            return (0..<power).reduce(Int64(1)) { product, _ in product * base }
        }
        return Int64(factor)
    }

    public static func parse(_ bytes: [UInt8]) throws(Malformed) -> OVFSummary {
        let parser = XMLParser(data: Data(bytes))
        let collector = Collector()
        parser.delegate = collector
        guard parser.parse() else {
            throw Malformed(reason: "not well-formed XML (line \(parser.lineNumber))")
        }
        return try collector.finish()
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var partial = OVFSummary()
        var files: [String: String] = [:]
        var diskRecords: [(fileRef: String, capacity: String, units: String?, format: String)] = []
        var item: [String: String]?
        var items: [[String: String]] = []
        var field: String?
        var text = ""
        var inProduct = false
        /// Open elements, and whether any was seen: Foundation's parser on Linux accepts a
        /// document cut short, so completeness is checked here.
        var depth = 0
        var elements = 0

        static func local(_ name: String) -> String { name.split(separator: ":").last.map(String.init) ?? name }

        func parser(
            _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String]
        ) {
            depth += 1
            elements += 1
            var attribute: [String: String] = [:]
            for (key, value) in attributes { attribute[Self.local(key)] = value }
            switch Self.local(element) {
            case "VirtualSystem" where partial.name.isEmpty: partial.name = attribute["id"] ?? ""
            case "File": if let id = attribute["id"], let href = attribute["href"] { files[id] = href }
            case "Disk":
                if let ref = attribute["fileRef"], let capacity = attribute["capacity"] {
                    diskRecords.append((ref, capacity, attribute["capacityAllocationUnits"], attribute["format"] ?? ""))
                }
            case "OperatingSystemSection": partial.guestOSType = attribute["osType"] ?? ""
            case "Config" where attribute["key"] == "firmware": partial.firmware = (attribute["value"] ?? "bios").lowercased()
            case "Config" where attribute["key"] == "bootOptions.efiSecureBootEnabled": partial.secureBoot = attribute["value"] == "true"
            case "Item", "StorageItem", "EthernetPortItem": item = [:]
            case "ProductSection": inProduct = true
            case "Property" where inProduct:
                if let key = attribute["key"] { partial.properties[key] = attribute["value"] ?? "" }
            default:
                if item != nil || Self.local(element) == "VirtualSystemType" {
                    field = Self.local(element)
                    text = ""
                }
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { if field != nil { text += string } }

        func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
            depth -= 1
            let name = Self.local(element)
            if let current = field, current == name {
                let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
                if item == nil { partial.hardwareVersion = value } else { item?[current] = value }
                field = nil
            } else if ["Item", "StorageItem", "EthernetPortItem"].contains(name), let finished = item {
                items.append(finished)
                item = nil
            } else if name == "ProductSection" {
                inProduct = false
            }
        }

        func finish() throws(Malformed) -> OVFSummary {
            guard elements > 0, depth == 0 else { throw Malformed(reason: "not a complete XML document") }
            var result = partial
            for record in diskRecords {
                guard let multiplier = OVFSummary.multiplier(record.units), let capacity = Int64(record.capacity), capacity >= 0,
                    capacity <= Int64.max / multiplier
                else {
                    throw Malformed(reason: "disk \(record.fileRef): capacity '\(record.capacity)' in '\(record.units ?? "")' is not a size")
                }
                guard let href = files[record.fileRef] else { throw Malformed(reason: "disk fileRef '\(record.fileRef)' names no File") }
                result.disks.append(Disk(href: href, capacityBytes: capacity * multiplier, format: record.format))
            }
            if let disk = items.first(where: { $0["ResourceType"] == "17" }), let parent = disk["Parent"],
                let controller = items.first(where: { $0["InstanceID"] == parent })
            {
                result.diskController = controller["ResourceType"] == "5" ? "ide" : controller["ResourceSubType"] ?? ""
            }
            result.networkCard = items.first(where: { $0["ResourceType"] == "10" })?["ResourceSubType"] ?? ""
            if let cpu = items.first(where: { $0["ResourceType"] == "3" }) {
                result.cpus = Int(cpu["VirtualQuantity"] ?? "") ?? 0
                result.coresPerSocket = Int(cpu["CoresPerSocket"] ?? "") ?? 0
            }
            if let memory = items.first(where: { $0["ResourceType"] == "4" }), let quantity = Int64(memory["VirtualQuantity"] ?? ""),
                let bytes = OVFSummary.multiplier(memory["AllocationUnits"] ?? "byte * 2^20"), quantity <= Int64.max / bytes
            {
                result.memoryMiB = quantity * bytes >> 20
            }
            return result
        }
    }
}
