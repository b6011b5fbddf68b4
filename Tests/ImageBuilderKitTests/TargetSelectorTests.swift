import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

@Suite struct TargetSelectorTests {
    let catalog: Catalog

    init() throws {
        catalog = try Catalog.load(RepoLayout(root: Fixtures.repoRoot), loader: VarFileLoader())
    }

    @Test func catalogHasTheIssuesOSesInFileNameOrder() {
        #expect(
            catalog.systems.map(\.name) == [
                "almalinux-9", "debian-12", "debian-13", "flatcar", "photon-4", "photon-5", "rhel-9", "rockylinux-9",
                "ubuntu-2204", "ubuntu-2204-efi", "ubuntu-2404", "ubuntu-2404-efi", "ubuntu-2604", "ubuntu-2604-efi", "windows-2019",
                "windows-2019-efi", "windows-2022",
                "windows-2022-efi",
            ])
    }

    static let names: [(String, TargetSelector)] = [
        ("build-node-ova-vsphere-base-ubuntu-2404", TargetSelector(verb: .build, family: .vsphereBase, os: "ubuntu-2404")),
        ("node-ova-vsphere-ubuntu-2404-efi", TargetSelector(verb: nil, family: .vsphere, os: "ubuntu-2404-efi")),
        ("validate-node-ova-local-vmx-rhel-9", TargetSelector(verb: .validate, family: .localVMX, os: "rhel-9")),
        ("clean-node-ova-vsphere-clone-ubuntu-2204", TargetSelector(verb: .clean, family: .vsphereClone, os: "ubuntu-2204")),
        ("build-node-ova-local-base-all", TargetSelector(verb: .build, family: .localBase, os: nil)),
    ]

    @Test(arguments: names)
    func parses(name: String, expected: TargetSelector) throws {
        #expect(try TargetSelector.parse(name, catalog: catalog) == expected)
    }

    @Test func allExpandsInCatalogOrderAndSkipsUnsupported() throws {
        let clones = try TargetSelector.parse("node-ova-vsphere-clone-all", catalog: catalog).expand(catalog)
        #expect(clones.count == 17)
        #expect(!clones.contains { $0.os == "flatcar" })
        let vsphere = try TargetSelector.parse("node-ova-vsphere-all", catalog: catalog).expand(catalog)
        #expect(vsphere.map(\.os) == catalog.systems.map(\.name))
    }

    @Test func unknownNamesGetSuggestions() {
        #expect {
            _ = try TargetSelector.parse("build-node-ova-vsphere-ubuntu-2405", catalog: catalog)
        } throws: { error in
            guard case .unknownTarget(_, let suggestions) = error as? CatalogError else { return false }
            return suggestions.first == "build-node-ova-vsphere-ubuntu-2404"
        }
    }

    @Test func unsupportedFamilyNamesTheFamiliesTheOSHas() {
        #expect(
            throws: CatalogError.unsupportedFamily(
                os: "flatcar", family: "vsphere-base", supported: ["local", "vsphere"],
                file: "images/flatcar.json")
        ) {
            _ = try TargetSelector.parse("build-node-ova-vsphere-base-flatcar", catalog: catalog)
        }
    }

    @Test func matrixListsEveryVerbFamilyAndAll() {
        let rows = TargetMatrix(catalog: catalog).rows()
        // 7 families × 18 OSes, minus flatcar's 4 unsupported families, minus qemu for flatcar and
        // the 4 Windows OSes (their files list their families), plus 7 -all; × 3 verbs.
        #expect(rows.count == 3 * (7 * 18 - 4 - 5 + 7))
        #expect(rows.contains { $0.target == "build-node-ova-qemu-debian-12" })
        #expect(!rows.contains { $0.target.hasPrefix("build-node-ova-qemu-windows") })
        #expect(Set(rows.map(\.target)).count == rows.count)
        #expect(rows.contains { $0.target == "validate-node-ova-local-vmx-all" })
    }
}
