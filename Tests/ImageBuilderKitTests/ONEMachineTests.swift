import ImageBuilderKit
import OVAKit
import OpenNebulaKit
import Testing

/// How a build's OVF values become OpenNebula's: controllers, NIC models, the RAW section.
@Suite struct ONEMachineTests {
    static func machine(controller: String, nic: String = "VmxNet3", firmware: String = "bios") -> ONEMachine {
        var ovf = OVFSummary()
        (ovf.cpus, ovf.memoryMiB, ovf.guestOSType) = (4, 8192, "ubuntu64Guest")
        (ovf.diskController, ovf.networkCard, ovf.firmware) = (controller, nic, firmware)
        return ONEMachine(ovf: ovf, name: "node")
    }

    @Test(arguments: [
        ("VirtualSCSI", "pvscsi", "lsilogic", "lsiLogic", false), ("lsilogic", "lsilogic", "lsilogic", "lsiLogic", false),
        ("buslogic", "buslogic", "buslogic", "busLogic", false), ("ide", "ide", "ide", "ide", false),
        ("vmware.nvme.controller", "nvme", "ide", "ide", true), ("vmware.sata.ahci", "sata", "ide", "ide", true),
    ])
    func controllersMap(_ row: (String, String, String, String, Bool)) {
        let machine = Self.machine(controller: row.0)
        #expect(machine.controller == row.1 && machine.vmdkAdapter == row.2 && machine.vCenterAdapter == row.3)
        #expect(machine.hotplugUnsupported == row.4)
    }

    @Test func theVMTemplateCarriesTheBuildsValues() {
        let machine = Self.machine(controller: "VirtualSCSI", nic: "E1000e", firmware: "efi")
        let vm = ONETemplates.vm(machine, image: "node", network: "public")
        #expect(vm.value("CPU") == "4" && vm.value("MEMORY") == "8192")
        let text = vm.text
        #expect(text.contains(#"GUESTOS = "ubuntu64Guest""#) && text.contains(#"FIRMWARE = "EFI""#))
        #expect(text.contains(#"NIC = [\#n  NETWORK = "public",\#n  MODEL = "virtuale1000e" ]"#), "\(text)")
        #expect(text.contains(#"DATA_VMX = "scsi0.virtualDev = \"pvscsi\"\#nethernet0.virtualDev = \"e1000e\"\#nfirmware = \"efi\"""#), "\(text)")
        #expect(ONETemplate.parse(text) == vm)
    }
}
