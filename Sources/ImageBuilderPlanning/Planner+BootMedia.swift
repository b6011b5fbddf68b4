public import ImageBuilderBasics
public import ImageBuilderConfig

extension Planner {
    /// An OS whose installer boots differently under BIOS and EFI (Debian's netinst: isolinux,
    /// then GRUB) sets `ib_boot_command_bios` and `ib_boot_command_efi`; the one for the build's
    /// firmware becomes `boot_command_prefix`, unless a family file, a user's var file or a
    /// `-var` set `boot_command_prefix` (theirs wins, as packer's precedence would have it).
    func applyFirmwareBootCommand(_ vars: inout ResolvedVariables, extraVars: inout [(String, String)]) {
        let firmware = vars.value("firmware").isEmpty ? "bios" : vars.value("firmware")
        let key = firmware.hasPrefix("efi") ? "ib_boot_command_efi" : "ib_boot_command_bios"
        let command = vars.value(key)
        guard !command.isEmpty, command != vars.value("boot_command_prefix") else { return }
        switch vars.effective("boot_command_prefix")?.source {
        case nil, .templateDefault?: break
        case .varFile(_, let role, _)? where [.sharedConfig, .common, .os].contains(role): break
        default: return
        }
        vars.apply("boot_command_prefix", Assignment(value: .string(command), source: .orchestrator(reason: "\(key), for firmware \(firmware)")))
        extraVars.append(("boot_command_prefix", command))
    }

    /// Where packer's HTTP server serves from: the rendered seed folder when the OS file says
    /// `ib_seed_delivery: http` (the installer fetches it from the build host), else nothing
    /// (no server; the seed is on the CD labelled `cd_label`).
    static func httpDirectory(_ vars: ResolvedVariables, workDirectory: String) -> String {
        vars.value("ib_seed_delivery") == "http" ? workDirectory + "/cidata" : ""
    }
}
