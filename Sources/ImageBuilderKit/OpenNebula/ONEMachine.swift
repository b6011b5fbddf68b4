public import OVAKit

/// What OpenNebula's templates say about a build, from its OVF: names and values mapped the way
/// OpenNebula's VMware drivers take them.
package struct ONEMachine: Sendable, Equatable {
    package let name: String
    package let cpus: Int
    package let memoryMiB: Int64
    package let guestOS: String
    /// `lsilogic`, `pvscsi`, `buslogic`, `lsilogicsas`, `ide`, `nvme`, `sata`.
    package let controller: String
    /// `vmxnet3`, `e1000`, `e1000e`.
    package let nic: String
    package let firmware: String

    package init(ovf: OVFSummary, name: String) {
        self.name = name
        cpus = max(ovf.cpus, 1)
        memoryMiB = ovf.memoryMiB
        guestOS = ovf.guestOSType
        controller = Self.controller(ovf.diskController)
        nic = ovf.networkCard.isEmpty ? "vmxnet3" : ovf.networkCard.lowercased()
        firmware = ovf.firmware
    }

    static func controller(_ subtype: String) -> String {
        switch subtype.lowercased() {
        case "virtualscsi", "pvscsi": "pvscsi"
        case "lsilogicsas": "lsilogicsas"
        case "buslogic": "buslogic"
        case "ide": "ide"
        case "vmware.nvme.controller", "nvme": "nvme"
        case "vmware.sata.ahci", "ahci", "sata": "sata"
        default: "lsilogic"
        }
    }

    /// Controllers OpenNebula cannot attach disks to or detach them from.
    package var hotplugUnsupported: Bool { controller == "nvme" || controller == "sata" }

    /// qemu-img's `adapter_type` for the VMDK descriptor (it knows ide, buslogic, lsilogic).
    package var vmdkAdapter: String {
        switch controller {
        case "ide", "nvme", "sata": "ide"
        case "buslogic": "buslogic"
        default: "lsilogic"
        }
    }

    /// `VCENTER_ADAPTER_TYPE` of the image (OpenNebula's vCenter driver values).
    package var vCenterAdapter: String {
        switch controller {
        case "ide", "nvme", "sata": "ide"
        case "buslogic": "busLogic"
        case "lsilogicsas": "lsiLogicsas"
        default: "lsiLogic"
        }
    }

    /// The NIC `MODEL` OpenNebula's vCenter driver takes (`virtualvmxnet3`, `virtuale1000`, …).
    package var nicModel: String { "virtual" + nic }

    /// `DATA_VMX` of `RAW`: the SCSI controller's model and the NIC's, as .vmx lines.
    package var vmxData: String {
        var lines: [String] = []
        switch controller {
        case "pvscsi", "lsilogic", "lsilogicsas", "buslogic": lines.append("scsi0.virtualDev = \"\(controller)\"")
        default: break
        }
        lines.append("ethernet0.virtualDev = \"\(nic)\"")
        if firmware == "efi" { lines.append("firmware = \"efi\"") }
        return lines.joined(separator: "\n")
    }
}
