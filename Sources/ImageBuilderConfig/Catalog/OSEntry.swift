public import ImageBuilderBasics

/// One operating system of the catalog: one JSON var file in `images/`.
package struct OSEntry: Sendable, Codable, Equatable {
    /// The file's base name without `.json`: the name in targets (`ubuntu-2404`).
    package let name: String
    /// Absolute path of the OS var file.
    package let file: String
    package let buildName: String
    package let distroName: String
    package let distroVersion: String
    package let distroArch: String
    package let guestOSType: String
    package let vsphereGuestOSType: String
    package let displayName: String
    package let firmware: String
    /// The families this OS supports (key `ib_families`, space-separated; default: all).
    package let families: [Family]
    /// The packer template, relative to the repo root (key `ib_template`; default packer-node.json).
    package let template: String?

    /// The firmwares the OS boots with (key `ib_firmwares`; default bios, efi and efi-secure).
    package let firmwares: [String]

    /// Windows: its own template, unattend file and administrator password.
    package var isWindows: Bool { distroName == "windows" }

    /// The keys the catalog reads from every OS file.
    package static let requiredKeys = [
        "build_name", "distro_name", "distro_version", "distro_arch", "guest_os_type",
        "vsphere_guest_os_type", "os_display_name", "firmware",
    ]

    /// The optional key that restricts the families.
    package static let familiesKey = "ib_families"

    package func supports(_ family: Family) -> Bool { families.contains(family) }

    /// Builds an entry from a parsed OS file.
    package init(name: String, file: String, json: JSONValue, displayPath: String) throws(CatalogError) {
        guard case .object(let members) = json else {
            throw .missingKey(file: displayPath, key: OSEntry.requiredKeys[0])
        }
        func string(_ key: String) throws(CatalogError) -> String {
            guard let member = members.last(where: { $0.key == key }) else { throw .missingKey(file: displayPath, key: key) }
            guard case .string(let s) = member.value, !s.isEmpty else {
                throw .keyNotAString(file: displayPath, key: key, line: member.line)
            }
            return s
        }
        self.name = name
        self.file = file
        buildName = try string("build_name")
        distroName = try string("distro_name")
        distroVersion = try string("distro_version")
        distroArch = try string("distro_arch")
        guestOSType = try string("guest_os_type")
        vsphereGuestOSType = try string("vsphere_guest_os_type")
        displayName = try string("os_display_name")
        firmware = try string("firmware")
        template = members.contains(where: { $0.key == "ib_template" }) ? try string("ib_template") : nil
        firmwares =
            members.contains(where: { $0.key == "ib_firmwares" })
            ? try string("ib_firmwares").split(separator: " ").map(String.init) : ["bios", "efi", "efi-secure"]
        if members.contains(where: { $0.key == OSEntry.familiesKey }) {
            var families: [Family] = []
            for word in try string(OSEntry.familiesKey).split(separator: " ") {
                guard let family = Family(rawValue: String(word)) else {
                    throw .unknownFamilyInFile(file: displayPath, key: OSEntry.familiesKey, value: String(word))
                }
                families.append(family)
            }
            self.families = Family.allCases.filter(families.contains)
        } else {
            families = Family.allCases
        }
    }
}
