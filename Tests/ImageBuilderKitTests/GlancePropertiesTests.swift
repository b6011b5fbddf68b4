import ImageBuilderKit
import Testing

@testable import OVAKit

/// The Glance properties table, derived from what an OVF descriptor says (issue 13).
struct GlancePropertiesTests {
    static func descriptor(controller: String, nic: String = "vmxnet3", firmware: String = "bios", guest: String = "rhel9_64Guest")
        -> OVFDescriptor
    {
        OVFDescriptor(
            name: "rhel-9-kube-v1.36.1", annotation: "a", guestOSType: guest, hardwareVersion: "vmx-19", cpus: 2, coresPerSocket: 1,
            memoryMiB: 4096, firmware: firmware, diskController: controller, networkCard: nic,
            disks: [.init(fileName: "rhel-9-disk-0.vmdk", capacityMiB: 30720, size: 10, populatedSize: 10)],
            product: .init(product: "p", vendor: "v", version: "kube-v1.36.1", fullVersion: "f", vendorURL: "u", category: "c"),
            properties: [
                .init(key: "DISTRO_NAME", value: "rockylinux"), .init(key: "DISTRO_VERSION", value: "9.5"),
                .init(key: "DISTRO_ARCH", value: "amd64"), .init(key: "KUBERNETES_SEMVER", value: "v1.36.1"),
                .init(key: "IMAGE_BUILDER_VERSION", value: "v0.9"),
            ])
    }

    static func summary(_ descriptor: OVFDescriptor) throws -> OVFSummary { try OVFSummary.parse(Array(descriptor.xml().utf8)) }

    @Test func ourDescriptorReadsBack() throws {
        let summary = try Self.summary(Self.descriptor(controller: "lsilogic-sas", nic: "e1000e", firmware: "efi"))
        #expect(summary.guestOSType == "rhel9_64Guest" && summary.firmware == "efi")
        #expect(summary.diskController == "lsilogicsas" && summary.networkCard == "E1000e")
        #expect(summary.disks == [.init(href: "rhel-9-disk-0.vmdk", capacityBytes: 30720 << 20, format: OVFDescriptor.streamOptimized)])
        #expect(summary.properties["DISTRO_NAME"] == "rockylinux")
    }

    @Test(arguments: [
        ("pvscsi", "paraVirtual"), ("lsilogic", "lsiLogic"), ("lsilogic-sas", "lsiLogicsas"),
    ])
    func controllersMapToAdapterTypes(controller: String, adapter: String) throws {
        let properties = try GlanceProperties.derive(Self.summary(Self.descriptor(controller: controller)), ovaSHA256: "ab", version: "dev")
        #expect(
            properties == [
                "vmware_disktype": "streamOptimized", "vmware_adaptertype": adapter, "vmware_ostype": "rhel9_64Guest",
                "hw_vif_model": "vmxnet3", "hypervisor_type": "vmware", "os_type": "linux", "architecture": "x86_64",
                "image_builder_ova_sha256": "ab", "image_builder_version": "v0.9", "os_distro": "rocky", "os_version": "9.5",
                "kubernetes_version": "v1.36.1",
            ])
    }

    @Test func efiWindowsAndOverrides() throws {
        var properties = try GlanceProperties.derive(
            Self.summary(Self.descriptor(controller: "pvscsi", nic: "e1000", firmware: "efi", guest: "windows2019srvNext_64Guest")),
            ovaSHA256: "ab", version: "dev")
        #expect(properties["hw_firmware_type"] == "uefi" && properties["os_type"] == "windows" && properties["hw_vif_model"] == "e1000")
        try GlanceProperties.apply(["img_linked_clone=false", "os_distro=windows", "note=a=b"], to: &properties)
        #expect(properties["img_linked_clone"] == "false" && properties["os_distro"] == "windows" && properties["note"] == "a=b")
        for bad in ["status=active", "image_builder_ova_sha256=x", "=v", "novalue", "bad key=v"] {
            #expect(throws: PublishError.self) { try GlanceProperties.apply([bad], to: &properties) }
        }
    }

    @Test(arguments: ["nvme", "sata"])
    func aControllerNovaCannotUseIsBadInput(controller: String) throws {
        let summary = try Self.summary(Self.descriptor(controller: controller))
        do {
            _ = try GlanceProperties.derive(summary, ovaSHA256: "ab", version: "dev")
            Issue.record("\(controller) was accepted")
        } catch {
            #expect(error.exitStatus == .badInput)
            #expect(error.description.contains("cannot be used by Nova's VMware driver"))
        }
    }

    @Test func capacityUnits() {
        #expect(OVFSummary.multiplier("byte * 2^20") == 1 << 20 && OVFSummary.multiplier("byte * 2^30") == 1 << 30)
        #expect(OVFSummary.multiplier(nil) == 1 && OVFSummary.multiplier("byte") == 1 && OVFSummary.multiplier("byte * 1024") == 1024)
        #expect(OVFSummary.multiplier("hertz * 10^6") == nil)
        #expect(throws: OVFSummary.Malformed.self) { try OVFSummary.parse(Array("<Envelope><Disk".utf8)) }
    }
}
