/// The XML form of the descriptor. Every value passes through `escape`.
extension OVFDescriptor {
    static let streamOptimized = "http://www.vmware.com/interfaces/specifications/vmdk.html#streamOptimized"

    /// `& < > " '` as entities; tab, newline and carriage return as character references;
    /// the characters XML 1.0 cannot carry (other C0 controls, U+FFFE, U+FFFF) dropped. The
    /// result is well-formed as element text and as an attribute value, and reads back exactly
    /// (less what was dropped). VSphereKit's `XMLText.escape` does the same (tested with the
    /// same cases): each module imports none of the other.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x26: out += "&amp;"
            case 0x3C: out += "&lt;"
            case 0x3E: out += "&gt;"
            case 0x22: out += "&quot;"
            case 0x27: out += "&apos;"
            // Tab, newline and carriage return as references: they survive attribute-value
            // normalisation and line-end handling, so every context reads them back exactly.
            case 0x09, 0x0A, 0x0D: out += "&#\(scalar.value);"
            // XML 1.0 cannot carry other C0 controls, nor U+FFFE and U+FFFF: dropped.
            case 0x00..<0x20, 0xFFFE, 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    public func xml() -> String {
        let e = OVFDescriptor.escape
        var x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        x +=
            "<Envelope xmlns=\"http://schemas.dmtf.org/ovf/envelope/1\" xmlns:cim=\"http://schemas.dmtf.org/wbem/wscim/1/common\""
            + " xmlns:ovf=\"http://schemas.dmtf.org/ovf/envelope/1\""
            + " xmlns:rasd=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ResourceAllocationSettingData\""
            + " xmlns:vmw=\"http://www.vmware.com/schema/ovf\""
            + " xmlns:vssd=\"http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_VirtualSystemSettingData\""
            + " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
        x += "  <References>\n"
        for (index, disk) in disks.enumerated() {
            x += "    <File ovf:href=\"\(e(disk.fileName))\" ovf:id=\"file\(index + 1)\" ovf:size=\"\(disk.size)\"/>\n"
        }
        x += "  </References>\n  <DiskSection>\n    <Info>Virtual disk information</Info>\n"
        for (index, disk) in disks.enumerated() {
            let mebibytes = disk.capacityBytes % (1 << 20) == 0
            let capacity = mebibytes ? disk.capacityBytes >> 20 : disk.capacityBytes
            x +=
                "    <Disk ovf:capacity=\"\(capacity)\" ovf:capacityAllocationUnits=\"\(mebibytes ? "byte * 2^20" : "byte")\" ovf:diskId=\"vmdisk\(index + 1)\""
                + " ovf:fileRef=\"file\(index + 1)\" ovf:format=\"\(OVFDescriptor.streamOptimized)\" ovf:populatedSize=\"\(disk.populatedSize)\"/>\n"
        }
        x += "  </DiskSection>\n  <NetworkSection>\n    <Info>The list of logical networks</Info>\n"
        x += "    <Network ovf:name=\"\(e(networkName))\">\n      <Description>The \(e(networkName)) network</Description>\n    </Network>\n"
        x += "  </NetworkSection>\n"
        x += "  <VirtualSystem ovf:id=\"\(e(name))\">\n    <Info>A virtual machine</Info>\n    <Name>\(e(name))</Name>\n"
        x +=
            "    <AnnotationSection>\n      <Info>A human-readable annotation</Info>\n      <Annotation>\(e(annotation))</Annotation>\n    </AnnotationSection>\n"
        x += "    <OperatingSystemSection ovf:id=\"\(OVFDescriptor.operatingSystemID(guestOSType))\" vmw:osType=\"\(e(guestOSType))\">\n"
        x += "      <Info>The kind of installed guest operating system</Info>\n    </OperatingSystemSection>\n"
        x += hardwareXML()
        if let eula {
            x += "    <EulaSection>\n      <Info>An end-user license agreement</Info>\n      <License>\(e(eula))</License>\n    </EulaSection>\n"
        }
        x += "    <ProductSection>\n      <Info>Information about the installed software</Info>\n"
        x += "      <Product>\(e(product.product))</Product>\n      <Vendor>\(e(product.vendor))</Vendor>\n"
        x += "      <Version>\(e(product.version))</Version>\n      <FullVersion>\(e(product.fullVersion))</FullVersion>\n"
        x += "      <VendorUrl>\(e(product.vendorURL))</VendorUrl>\n      <Category>\(e(product.category))</Category>\n"
        for property in properties {
            x +=
                "      <Property ovf:key=\"\(e(property.key))\" ovf:type=\"string\" ovf:userConfigurable=\"false\" ovf:value=\"\(e(property.value))\"/>\n"
        }
        x += "    </ProductSection>\n  </VirtualSystem>\n</Envelope>\n"
        return x
    }

    private func hardwareXML() -> String {
        let e = OVFDescriptor.escape
        var x = "    <VirtualHardwareSection>\n      <Info>Virtual hardware requirements</Info>\n      <System>\n"
        x += "        <vssd:ElementName>Virtual Hardware Family</vssd:ElementName>\n        <vssd:InstanceID>0</vssd:InstanceID>\n"
        x += "        <vssd:VirtualSystemIdentifier>\(e(name))</vssd:VirtualSystemIdentifier>\n"
        x += "        <vssd:VirtualSystemType>\(e(hardwareVersion))</vssd:VirtualSystemType>\n      </System>\n"
        func item(_ lines: [String]) { x += "      <Item>\n" + lines.map { "        " + $0 + "\n" }.joined() + "      </Item>\n" }
        item([
            "<rasd:AllocationUnits>hertz * 10^6</rasd:AllocationUnits>", "<rasd:Description>Number of Virtual CPUs</rasd:Description>",
            "<rasd:ElementName>\(cpus) virtual CPU(s)</rasd:ElementName>", "<rasd:InstanceID>1</rasd:InstanceID>",
            "<rasd:ResourceType>3</rasd:ResourceType>", "<rasd:VirtualQuantity>\(cpus)</rasd:VirtualQuantity>",
            "<vmw:CoresPerSocket ovf:required=\"false\">\(coresPerSocket)</vmw:CoresPerSocket>",
        ])
        item([
            "<rasd:AllocationUnits>byte * 2^20</rasd:AllocationUnits>", "<rasd:Description>Memory Size</rasd:Description>",
            "<rasd:ElementName>\(memoryMiB)MB of memory</rasd:ElementName>", "<rasd:InstanceID>2</rasd:InstanceID>",
            "<rasd:ResourceType>4</rasd:ResourceType>", "<rasd:VirtualQuantity>\(memoryMiB)</rasd:VirtualQuantity>",
        ])
        let (controllerType, controllerSubtype) = OVFDescriptor.controller(diskController)
        item([
            "<rasd:Address>0</rasd:Address>", "<rasd:Description>Disk controller</rasd:Description>",
            "<rasd:ElementName>Disk controller 0</rasd:ElementName>", "<rasd:InstanceID>3</rasd:InstanceID>",
            "<rasd:ResourceSubType>\(controllerSubtype)</rasd:ResourceSubType>", "<rasd:ResourceType>\(controllerType)</rasd:ResourceType>",
        ])
        item([
            "<rasd:Address>0</rasd:Address>", "<rasd:Description>IDE Controller</rasd:Description>", "<rasd:ElementName>IDE 0</rasd:ElementName>",
            "<rasd:InstanceID>4</rasd:InstanceID>", "<rasd:ResourceType>5</rasd:ResourceType>",
        ])
        item([
            "<rasd:AutomaticAllocation>false</rasd:AutomaticAllocation>", "<rasd:ElementName>Video card</rasd:ElementName>",
            "<rasd:InstanceID>5</rasd:InstanceID>", "<rasd:ResourceType>24</rasd:ResourceType>",
        ])
        for (index, _) in disks.enumerated() {
            item([
                "<rasd:AddressOnParent>\(index)</rasd:AddressOnParent>", "<rasd:ElementName>Hard Disk \(index + 1)</rasd:ElementName>",
                "<rasd:HostResource>ovf:/disk/vmdisk\(index + 1)</rasd:HostResource>", "<rasd:InstanceID>\(10 + index)</rasd:InstanceID>",
                "<rasd:Parent>3</rasd:Parent>", "<rasd:ResourceType>17</rasd:ResourceType>",
            ])
        }
        item([
            "<rasd:AddressOnParent>7</rasd:AddressOnParent>", "<rasd:AutomaticAllocation>true</rasd:AutomaticAllocation>",
            "<rasd:Connection>\(e(networkName))</rasd:Connection>",
            "<rasd:Description>\(OVFDescriptor.nic(networkCard)) ethernet adapter</rasd:Description>",
            "<rasd:ElementName>Network adapter 1</rasd:ElementName>", "<rasd:InstanceID>6</rasd:InstanceID>",
            "<rasd:ResourceSubType>\(OVFDescriptor.nic(networkCard))</rasd:ResourceSubType>", "<rasd:ResourceType>10</rasd:ResourceType>",
        ])
        // `efi-secure` is EFI with Secure Boot: vCenter reads bootOptions.efiSecureBootEnabled on import.
        let firmwareValue = firmware.lowercased().hasPrefix("efi") ? "efi" : "bios"
        let secureBoot = firmware.lowercased() == "efi-secure" ? [("bootOptions.efiSecureBootEnabled", "true")] : []
        for (key, value) in [("firmware", firmwareValue)] + secureBoot + [
            ("nestedHVEnabled", String(nestedHV)), ("wakeOnLanEnabled", "false"),
            ("tools.syncTimeWithHost", "false"), ("tools.upgrade.policy", "manual"),
            ("powerOpInfo.powerOffType", "soft"), ("powerOpInfo.resetType", "soft"), ("powerOpInfo.suspendType", "hard"),
        ] {
            x += "      <vmw:Config ovf:required=\"false\" vmw:key=\"\(key)\" vmw:value=\"\(value)\"/>\n"
        }
        x += "    </VirtualHardwareSection>\n"
        // A boot order section makes vCenter show EFI images as BIOS (#619): only for BIOS.
        if firmwareValue == "bios" {
            x +=
                "    <vmw:BootOrderSection vmw:instanceId=\"10\" vmw:type=\"disk\">\n      <Info>Virtual hardware device boot order</Info>\n    </vmw:BootOrderSection>\n"
        }
        return x
    }
}
