/// A VM's virtual TPM (`VirtualTPM`). vCenter adds one only with a key provider configured, and
/// refuses to export a VM that has one (the vTPM's secrets cannot leave vCenter): a template
/// keeps its vTPM, an exported copy must not have one.
extension VSphereClient {
    /// The keys of the VM's `VirtualTPM` devices (`config.hardware.device`; at most one in vSphere).
    public func trustedPlatformModules(_ vm: ManagedObjectReference) async throws(VSphereError) -> [Int] {
        Self.trustedPlatformModules(in: try await properties(of: vm, ["config.hardware.device"])["config.hardware.device"]?.node)
    }

    /// The `VirtualTPM` keys of a `config.hardware.device` value.
    public static func trustedPlatformModules(in devices: XMLNode?) -> [Int] {
        (devices?.children ?? []).filter { $0.xsiType == "VirtualTPM" }.compactMap { $0.child("key").flatMap { Int($0.text) } }
    }

    /// Adds a vTPM unless the VM has one (ReconfigVM_Task, deviceChange add). Returns whether one
    /// was added. vCenter needs an EFI VM and a key provider; its fault is passed on as it is.
    @discardableResult
    public func addTrustedPlatformModule(_ vm: ManagedObjectReference) async throws(VSphereError) -> Bool {
        guard try await trustedPlatformModules(vm).isEmpty else { return false }
        try await runTask(
            "ReconfigVM_Task", on: vm,
            ["<spec><deviceChange><operation>add</operation><device xsi:type=\"VirtualTPM\"><key>-1</key></device></deviceChange></spec>"])
        return true
    }

    /// Removes the VM's vTPM, if any (its keys are destroyed with it). Returns whether one was.
    @discardableResult
    public func removeTrustedPlatformModules(_ vm: ManagedObjectReference) async throws(VSphereError) -> Bool {
        let keys = try await trustedPlatformModules(vm)
        guard !keys.isEmpty else { return false }
        let changes = keys.map {
            "<deviceChange><operation>remove</operation><device xsi:type=\"VirtualTPM\"><key>\($0)</key></device></deviceChange>"
        }
        try await runTask("ReconfigVM_Task", on: vm, ["<spec>" + changes.joined() + "</spec>"])
        return true
    }
}
