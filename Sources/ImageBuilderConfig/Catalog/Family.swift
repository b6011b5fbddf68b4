public import ImageBuilderBasics

/// A target family: which packer builder runs, which family var file is layered in, and what
/// happens around packer.
package enum Family: String, CaseIterable, Sendable, Codable {
    case local
    case localVMX = "local-vmx"
    case localBase = "local-base"
    case vsphere
    case vsphereBase = "vsphere-base"
    case vsphereClone = "vsphere-clone"
    case qemu

    /// The builder's name in `packer/ova/packer-node.json` (selected with `-only=`).
    package var builder: String {
        switch self {
        case .local: "vmware-iso"
        case .localVMX: "vmware-vmx"
        case .localBase: "vmware-iso-base"
        case .vsphere: "vsphere"
        case .vsphereBase: "vsphere-iso-base"
        case .vsphereClone: "vsphere-clone"
        case .qemu: "qemu"
        }
    }

    /// The family var file, relative to the repo root, layered after the OS file.
    package var familyVarFile: String? {
        switch self {
        case .local, .localBase: nil
        case .localVMX: "packer/ova/vmx.json"
        case .vsphere, .vsphereBase, .vsphereClone: "packer/ova/vsphere.json"
        case .qemu: "packer/ova/qemu.json"
        }
    }

    /// Whether the build runs against vCenter (and needs its connection settings).
    package var usesVSphere: Bool { familyVarFile == "packer/ova/vsphere.json" }

    /// Whether packer boots an installer ISO (and so needs the unattended-install files).
    package var bootsFromISO: Bool { self != .localVMX && self != .vsphereClone }

    /// Base families make a reusable VM, not an OVA.
    package var isBase: Bool { self == .localBase || self == .vsphereBase }

    /// The family whose output this one starts from.
    package var baseFamily: Family? {
        switch self {
        case .localVMX: .localBase
        case .vsphereClone: .vsphereBase
        default: nil
        }
    }

    /// One phrase for `list` and `make help`.
    package var summary: String {
        switch self {
        case .local: "OVA built with a local VMware hypervisor"
        case .localVMX: "OVA built from the local-base VM's .vmx"
        case .localBase: "base VM built with a local VMware hypervisor"
        case .vsphere: "OVA and template built on vSphere"
        case .vsphereBase: "base VM with a snapshot on vSphere"
        case .vsphereClone: "OVA and template from a linked clone of the vsphere-base VM"
        case .qemu: "OVA built with qemu on this host (KVM or software emulation), from the ISO or a base disk"
        }
    }
}
