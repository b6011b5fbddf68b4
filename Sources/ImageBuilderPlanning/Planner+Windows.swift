public import ImageBuilderBasics
public import ImageBuilderConfig

/// Windows builds: the administrator password from the environment (never argv, the tree, logs
/// or `plan`) and the unattend file's per-build values.
extension Planner {
    /// Passwords Windows images are known to ship with: refused.
    static let wellKnownWindowsPasswords: Set<String> = ["password", "password1!", "p@ssw0rd", "s3cr3t0!", "vagrant", "administrator", "admin"]

    /// `WINDOWS_ADMIN_PASSWORD`: required, not a well-known default, and meeting Windows'
    /// complexity rule (8+ characters of 3 kinds), so Setup does not stop on it.
    func windowsAdminPassword(target: String) throws(ConfigError) -> Secret {
        let variable = "WINDOWS_ADMIN_PASSWORD"
        guard let value = environment[variable], !value.isEmpty else {
            throw .secretRequired(variable: variable, target: target, reason: "is not set: the Windows administrator's password")
        }
        if Self.wellKnownWindowsPasswords.contains(value.lowercased()) {
            throw .secretRequired(variable: variable, target: target, reason: "is a well-known default password (the value is not shown)")
        }
        let kinds = [
            value.contains(where: \.isLowercase), value.contains(where: \.isUppercase), value.contains(where: \.isNumber),
            value.contains { !$0.isLetter && !$0.isNumber },
        ].filter { $0 }.count
        guard value.count >= 8, kinds >= 3, !value.contains(where: \.isNewline) else {
            throw .secretRequired(
                variable: variable, target: target, reason: "does not meet Windows' complexity rule, Setup would stop (the value is not shown)")
        }
        return Secret(value)
    }

    /// The unattend file's values: the disk layout for the firmware (GPT for EFI, MBR for BIOS),
    /// the image index, the product key, the computer name.
    package static func windowsSeedValues(firmware: String, imageIndex: String, productKey: String, computerName: String) -> [String: String] {
        let efi = firmware == "efi"
        let partitions: [(String, String, String?, String?, String?)] =
            efi
            ? [("1", "EFI", "100", "FAT32", "System"), ("2", "MSR", "16", nil, nil), ("3", "Primary", nil, "NTFS", "Windows")]
            : [("1", "Primary", nil, "NTFS", "Windows")]
        var create = ""
        var modify = ""
        for (order, kind, size, format, label) in partitions {
            create +=
                "<CreatePartition wcm:action=\"add\"><Order>\(order)</Order><Type>\(kind)</Type>"
                + (size.map { "<Size>\($0)</Size>" } ?? "<Extend>true</Extend>") + "</CreatePartition>"
            if let format, let label {
                modify +=
                    "<ModifyPartition wcm:action=\"add\"><Order>\(order)</Order><PartitionID>\(order)</PartitionID><Format>\(format)</Format>"
                    + "<Label>\(label)</Label>" + (efi ? "" : "<Active>true</Active>") + "</ModifyPartition>"
            }
        }
        let disk =
            "<Disk wcm:action=\"add\"><DiskID>0</DiskID><WillWipeDisk>true</WillWipeDisk><CreatePartitions>\(create)</CreatePartitions>"
            + "<ModifyPartitions>\(modify)</ModifyPartitions></Disk>"
        return [
            "DISK_CONFIGURATION": disk, "INSTALL_PARTITION": efi ? "3" : "1", "IMAGE_INDEX": imageIndex,
            "PRODUCT_KEY": productKey.isEmpty
                ? "" : "<ProductKey><Key>\(Self.xmlEscape(productKey))</Key><WillShowUI>Never</WillShowUI></ProductKey>",
            "COMPUTER_NAME": Self.xmlEscape(String(computerName.prefix(15))),
        ]
    }

    static func xmlEscape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&apos;")
    }
}
