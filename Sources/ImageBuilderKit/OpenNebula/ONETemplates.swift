public import OpenNebulaKit

/// The image and VM templates of an export (`image.one`, `vm.one`).
package enum ONETemplates {
    /// `image.one`: the folder as an OS image, with what OpenNebula's vCenter driver reads.
    package static func image(_ machine: ONEMachine, path: String) -> ONETemplate {
        var template = ONETemplate()
        template.set("NAME", machine.name)
        template.set("PATH", path)
        template.set("TYPE", "OS")
        template.set("DEV_PREFIX", "sd")
        template.set("VCENTER_DISK_TYPE", "thin")
        template.set("VCENTER_ADAPTER_TYPE", machine.vCenterAdapter)
        template.set("DESCRIPTION", "Kubernetes node image built by image-builder (\(machine.guestOS))")
        return template
    }

    /// `vm.one`: the build's CPU and memory, its disk by image name, its NIC model, guest OS,
    /// PCI bridge, the controller in RAW, and the context cloud-init's OpenNebula datasource reads.
    package static func vm(_ machine: ONEMachine, image: String, network: String?) -> ONETemplate {
        var template = machineTemplate(machine, image: image, network: network, devPrefix: "sd", nicModel: machine.nicModel)
        template.vector("OS", [("GUESTOS", machine.guestOS)] + (machine.firmware == "efi" ? [("FIRMWARE", "EFI")] : []))
        template.vector("FEATURES", [("PCIBRIDGE", "1")])
        template.vector("RAW", [("TYPE", "vmware"), ("DATA_VMX", machine.vmxData)])
        return template
    }

    /// What both generations' VM templates hold: name, CPU, memory, disk, NICs, context.
    static func machineTemplate(_ machine: ONEMachine, image: String, network: String?, devPrefix: String, nicModel: String) -> ONETemplate {
        var template = ONETemplate()
        template.set("NAME", machine.name)
        template.set("CPU", String(machine.cpus))
        template.set("VCPU", String(machine.cpus))
        template.set("MEMORY", String(machine.memoryMiB))
        template.vector("DISK", [("IMAGE", image), ("DEV_PREFIX", devPrefix)])
        template.vector("NIC_DEFAULT", [("MODEL", nicModel)])
        if let network { template.vector("NIC", [("NETWORK", network), ("MODEL", nicModel)]) }
        template.vector(
            "CONTEXT",
            [("NETWORK", "YES"), ("SSH_PUBLIC_KEY", "$USER[SSH_PUBLIC_KEY]"), ("SET_HOSTNAME", "$NAME"), ("TOKEN", "YES")])
        return template
    }

    /// `image.one` for KVM: the qcow2 of the same disk.
    package static func kvmImage(_ machine: ONEMachine, path: String) -> ONETemplate {
        var template = ONETemplate()
        template.set("NAME", machine.name)
        template.set("PATH", path)
        template.set("TYPE", "OS")
        template.set("DEV_PREFIX", "vd")
        template.set("FORMAT", "qcow2")
        template.set("DESCRIPTION", "Kubernetes node image built by image-builder (\(machine.guestOS), for KVM)")
        return template
    }

    /// `vm.one` for KVM: the build's CPU and memory, virtio disk and NIC, the firmware.
    package static func kvmVM(_ machine: ONEMachine, image: String, network: String?) -> ONETemplate {
        var template = machineTemplate(machine, image: image, network: network, devPrefix: "vd", nicModel: "virtio")
        template.vector("OS", [("ARCH", "x86_64")] + (machine.firmware == "efi" ? [("FIRMWARE", "UEFI")] : []))
        return template
    }
}
