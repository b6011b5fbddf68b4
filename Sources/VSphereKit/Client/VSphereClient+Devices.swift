/// A VM's CD-ROM drives, and removing devices (install media a template must not keep).
extension VSphereClient {
    public struct CDROM: Sendable, Equatable {
        public let key: Int
        public let controllerKey: Int
        public let unitNumber: Int
        /// The backing's type (`VirtualCdromIsoBackingInfo`, `VirtualCdromRemotePassthroughBackingInfo`, …).
        public let backing: String
        /// The ISO it holds (`[datastore] path/x.iso`), if the backing is an ISO.
        public let isoFile: String?
        public let connected: Bool
        public let startConnected: Bool

        /// Whether it still holds or would connect install media.
        public var holdsMedia: Bool { isoFile != nil || connected || startConnected }

        /// For `vsphere ls`: `iso [ds] path`, `connected`, or `empty`.
        public var summary: String { isoFile.map { "iso " + $0 } ?? (connected || startConnected ? "connected" : "empty") }
    }

    /// The VM's `VirtualCdrom` devices (`config.hardware.device`).
    public func cdroms(_ vm: ManagedObjectReference) async throws(VSphereError) -> [CDROM] {
        Self.cdroms(in: try await properties(of: vm, ["config.hardware.device"])["config.hardware.device"]?.node)
    }

    /// The `VirtualCdrom` devices of a `config.hardware.device` value.
    public static func cdroms(in devices: XMLNode?) -> [CDROM] {
        (devices?.children ?? []).filter { $0.xsiType == "VirtualCdrom" }.compactMap { device in
            guard let key = device.child("key").flatMap({ Int($0.text) }) else { return nil }
            let backing = device.child("backing")
            let connectable = device.child("connectable")
            return CDROM(
                key: key, controllerKey: device.child("controllerKey").flatMap { Int($0.text) } ?? 0,
                unitNumber: device.child("unitNumber").flatMap { Int($0.text) } ?? 0, backing: backing?.xsiType ?? "",
                isoFile: backing?.xsiType == "VirtualCdromIsoBackingInfo" ? backing?.child("fileName")?.text : nil,
                connected: connectable?.child("connected")?.text == "true",
                startConnected: connectable?.child("startConnected")?.text == "true")
        }
    }

    /// Removes CD-ROM drives from the VM (ReconfigVM_Task, deviceChange remove).
    public func removeCDROMs(_ vm: ManagedObjectReference, _ drives: [CDROM]) async throws(VSphereError) {
        guard !drives.isEmpty else { return }
        let changes = drives.map { drive in
            "<deviceChange><operation>remove</operation><device xsi:type=\"VirtualCdrom\"><key>\(drive.key)</key>"
                + "<controllerKey>\(drive.controllerKey)</controllerKey><unitNumber>\(drive.unitNumber)</unitNumber></device></deviceChange>"
        }
        try await runTask("ReconfigVM_Task", on: vm, ["<spec>" + changes.joined() + "</spec>"])
    }
}

/// Firmware: what an OVF declares, set on a VM when an import left it out.
extension VSphereClient {
    /// `config.firmware` and `config.bootOptions.efiSecureBootEnabled`.
    public func firmware(_ vm: ManagedObjectReference) async throws(VSphereError) -> (firmware: String, secureBoot: Bool) {
        let properties = try await properties(of: vm, ["config.firmware", "config.bootOptions"])
        let secure = properties["config.bootOptions"]?.node?.child("efiSecureBootEnabled")?.text == "true"
        return (properties["config.firmware"]?.string ?? "bios", secure)
    }

    /// Sets the firmware (`bios` or `efi`) and Secure Boot (ReconfigVM_Task).
    public func setFirmware(_ vm: ManagedObjectReference, firmware: String, secureBoot: Bool) async throws(VSphereError) {
        try await runTask(
            "ReconfigVM_Task", on: vm,
            [
                "<spec><bootOptions><efiSecureBootEnabled>\(secureBoot)</efiSecureBootEnabled></bootOptions>"
                    + "<firmware>\(XMLText.escape(firmware))</firmware></spec>"
            ])
    }
}
