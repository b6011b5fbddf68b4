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

extension Planner {
    /// The datastore ISO of a vsphere-iso build: `iso_datastore_path` (checked), else the cache
    /// entry of the fetched ISO on the build's datastore; nil for other builds.
    func isoDatastore(family: Family, vars: ResolvedVariables, download: ISODownload?) throws(ConfigError) -> ISODatastore? {
        guard family.usesVSphere, family.bootsFromISO else { return nil }
        let given = vars.value("iso_datastore_path")
        if !given.isEmpty {
            guard let iso = ISODatastore.given(given) else {
                throw .invalidValue(
                    source: vars.effective("iso_datastore_path")?.source.describe(layout) ?? "iso_datastore_path", key: "iso_datastore_path",
                    value: given, allowed: "a datastore path such as [datastore1] isos/ubuntu-24.04.iso")
            }
            return iso
        }
        guard let download, !vars.value("datastore").isEmpty else { return nil }
        return .cached(download, datastore: vars.value("datastore"))
    }

    /// The host of a URL (`http://127.0.0.1:8000/x.iso` → `127.0.0.1`).
    static func host(of url: String) -> String {
        guard let scheme = url.firstRange(of: "://") else { return "" }
        let rest = url[scheme.upperBound...].prefix { $0 != "/" }
        let hostPort = rest.split(separator: "@").last.map(String.init) ?? ""
        if hostPort.hasPrefix("[") { return String(hostPort.prefix { $0 != "]" }.dropFirst()) }
        return String(hostPort.prefix { $0 != ":" })
    }
}
