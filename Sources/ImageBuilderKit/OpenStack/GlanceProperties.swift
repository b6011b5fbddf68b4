public import OVAKit

/// The image properties Nova's VMware driver reads, derived from the OVA's descriptor (never
/// typed by hand), plus provenance. `--property` entries are applied over these.
package enum GlanceProperties {
    /// Fields Glance owns or that have their own option: refused as `--property`.
    package static let reserved: Set<String> = [
        "id", "status", "checksum", "size", "virtual_size", "os_hash_algo", "os_hash_value", "created_at", "updated_at", "owner",
        "locations", "direct_url", "file", "schema", "self", "stores", "name", "visibility", "disk_format", "container_format", "tags",
        "protected", "os_hidden",
    ]
    /// The property that identifies a build's image in Glance.
    package static let digestKey = "image_builder_ova_sha256"

    /// `vmware_adaptertype` for the OVF's disk controller; nil for one Nova cannot attach a boot
    /// disk to (NVMe, SATA).
    package static func adapterType(_ controller: String) -> String? {
        switch controller.lowercased() {
        case "virtualscsi", "pvscsi", "paravirtual": "paraVirtual"
        case "lsilogic": "lsiLogic"
        case "lsilogicsas", "lsilogic-sas": "lsiLogicsas"
        case "buslogic": "busLogic"
        case "ide": "ide"
        default: nil
        }
    }

    /// `hw_vif_model` for the OVF's NIC; nil for one Nova does not know (`vm_util.convert_vif_model`).
    package static func vifModel(_ nic: String) -> String? {
        switch nic.lowercased() {
        case "vmxnet3", "virtualvmxnet3": "vmxnet3"
        case "e1000", "virtuale1000": "e1000"
        case "e1000e", "virtuale1000e": "e1000e"
        case "pcnet32", "virtualpcnet32": "pcnet"
        case "vmxnet", "virtualvmxnet": "vmxnet"
        default: nil
        }
    }

    /// OpenStack's `os_distro` names (the Glance metadata definitions) for the OVA's DISTRO_NAME.
    package static func distro(_ name: String) -> String {
        switch name.lowercased() {
        case "rockylinux", "rocky": "rocky"
        case "almalinux", "alma": "almalinux"
        case "photon", "photonos": "photon"
        case "redhat", "rhel": "rhel"
        default: name.lowercased()
        }
    }

    /// `architecture` as OpenStack names it.
    package static func architecture(_ arch: String) -> String {
        switch arch.lowercased() {
        case "amd64", "x86_64", "": "x86_64"
        case "arm64", "aarch64": "aarch64"
        default: arch.lowercased()
        }
    }

    /// The derived table (`version`: the image-builder version when the OVA does not name the one
    /// that built it);  throws the reason when the descriptor describes hardware Nova cannot use.
    package static func derive(_ ovf: OVFSummary, ovaSHA256: String, version: String) throws(PublishError) -> [String: String] {
        guard let adapter = adapterType(ovf.diskController) else {
            throw .invalidInput(
                path: "the OVF",
                reason: "disk controller '\(ovf.diskController)' cannot be used by Nova's VMware driver "
                    + "(it attaches boot disks to IDE or SCSI: build with disk_controller_type pvscsi, lsilogic or lsilogic-sas)")
        }
        guard let vif = vifModel(ovf.networkCard) else {
            throw .invalidInput(
                path: "the OVF",
                reason: "network card '\(ovf.networkCard)' is not one Nova's VMware driver knows "
                    + "(build with network_card vmxnet3, e1000 or e1000e)")
        }
        var properties: [String: String] = [
            "vmware_disktype": "streamOptimized", "vmware_adaptertype": adapter,
            "vmware_ostype": ovf.guestOSType.isEmpty ? "otherGuest" : ovf.guestOSType,
            "hw_vif_model": vif, "hypervisor_type": "vmware",
            "os_type": ovf.guestOSType.lowercased().hasPrefix("windows") ? "windows" : "linux",
            "architecture": architecture(ovf.properties["DISTRO_ARCH"] ?? ""), digestKey: ovaSHA256,
            "image_builder_version": ovf.properties["IMAGE_BUILDER_VERSION"].flatMap { $0.isEmpty ? nil : $0 } ?? version,
        ]
        if ovf.firmware == "efi" { properties["hw_firmware_type"] = "uefi" }
        if let distro = ovf.properties["DISTRO_NAME"], !distro.isEmpty { properties["os_distro"] = self.distro(distro) }
        if let version = ovf.properties["DISTRO_VERSION"], !version.isEmpty { properties["os_version"] = version }
        if let kubernetes = ovf.properties["KUBERNETES_SEMVER"], !kubernetes.isEmpty { properties["kubernetes_version"] = kubernetes }
        return properties
    }

    /// `K=V` options over the derived table; a reserved or malformed key is refused.
    package static func apply(_ options: [String], to properties: inout [String: String]) throws(PublishError) {
        for option in options {
            guard let equals = option.firstIndex(of: "="), equals != option.startIndex else {
                throw .invalidInput(path: "--property", reason: "'\(option)' is not KEY=VALUE")
            }
            let key = String(option[..<equals])
            guard !reserved.contains(key), key != digestKey else {
                throw .invalidInput(path: "--property", reason: "'\(key)' is set by Glance or by an option of its own, not as a property")
            }
            guard key.count <= 255, key.allSatisfy({ $0.isLetter || $0.isNumber || "_-.:".contains($0) }) else {
                throw .invalidInput(path: "--property", reason: "'\(key)' is not a property name (letters, digits, _ - . :)")
            }
            properties[key] = String(option[option.index(after: equals)...])
        }
    }
}
