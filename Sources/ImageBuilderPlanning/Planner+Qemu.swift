public import ImageBuilderBasics
public import ImageBuilderConfig

extension Planner {
    /// The NoCloud seed a disk image boots with: the build user with the build's password.
    static let cloudImageSeed = "packer/ova/linux/cloud-image"

    /// A qemu build: the accelerator (KVM when the probe shows it runs a standard guest, else
    /// TCG; `IB_ACCELERATOR` decides), and its source. With `base_image_url` the build boots that
    /// disk (a cloud image, or a disk the user made: `disk_image`, the checksum from
    /// `base_image_checksum`, the build user from a NoCloud seed, no boot command); without it,
    /// the OS's installer ISO and seed, as for the other families. Each value is recorded with
    /// its reason, so `plan` and `explain` show it.
    func applyQemu(_ vars: inout ResolvedVariables, extraVars: inout [(String, String)]) throws -> (accelerator: Accelerator, guestFiles: String?) {
        let accelerator: Accelerator
        do { accelerator = try Accelerator.choose(environment) } catch {
            throw ConfigError.invalidValue(
                source: "the environment", key: "IB_ACCELERATOR", value: environment["IB_ACCELERATOR"] ?? "", allowed: "kvm or tcg")
        }
        /// `packer`: the template declares it (the others are read by the planner only).
        func set(_ key: String, _ value: String, _ reason: String, packer: Bool = true) {
            vars.apply(key, Assignment(value: .string(value), source: .orchestrator(reason: reason)))
            extraVars.removeAll { $0.0 == key }
            if packer { extraVars.append((key, value)) }
        }
        set("ib_qemu_accelerator", accelerator.kind.rawValue, accelerator.reason)
        set("ib_qemu_cpu", accelerator.cpuModel, "the CPU model for \(accelerator.kind.rawValue)")
        let served = try guestFiles(vars)
        for (key, value, reason) in served?.settings ?? [] { set(key, value, reason) }
        let guestFiles = served?.folder
        let image = vars.value("base_image_url")
        guard !image.isEmpty else {
            set("qemu_disk_image", "false", "no base_image_url: the OS's installer ISO")
            return (accelerator, guestFiles)
        }
        let checksum = vars.value("base_image_checksum")
        let from = vars.effective("base_image_url")?.source.describe(layout) ?? "base_image_url"
        if image.hasPrefix("http://") || image.hasPrefix("https://"), ["", "none"].contains(checksum.lowercased()) {
            throw ConfigError.invalidValue(
                source: vars.effective("base_image_checksum")?.source.describe(layout) ?? from, key: "base_image_checksum", value: checksum,
                allowed: "the checksum of the downloaded base_image_url, sha256:<hex> or sha512:<hex>")
        }
        set("iso_url", image, "base_image_url (\(from))")
        set("iso_checksum", checksum.isEmpty ? "none" : checksum, "base_image_checksum, for base_image_url")
        set("qemu_disk_image", "true", "base_image_url: the build boots that disk")
        set("ib_seed_dir", Self.cloudImageSeed, "base_image_url: the build user comes from a NoCloud seed")
        set("ib_seed_delivery", "cd", "base_image_url: the seed is a CD labelled cidata", packer: false)
        set("cd_label", "cidata", "base_image_url: NoCloud reads the CD labelled cidata")
        set("boot_command_prefix", "", "base_image_url: a booted disk takes no boot command")
        set("boot_command_suffix", "", "base_image_url: a booted disk takes no boot command")
        return (accelerator, guestFiles)
    }
}
