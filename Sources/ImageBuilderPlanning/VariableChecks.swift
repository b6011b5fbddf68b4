public import ImageBuilderBasics
public import ImageBuilderConfig

/// Values packer would refuse later, or the orchestrator would misread, refused while planning
/// (exit 2 naming the file, line and key, and the allowed values): hardware, booleans, names
/// that become paths.
package enum VariableChecks {
    static let booleanKeys = ["insecure_connection", "convert_to_template", "destroy", "headless", "disable_hypervisor", "vtpm"]
    static let positiveIntegers = ["disk_size", "cpu", "cpu_cores", "memory"]
    static let choices: [(key: String, allowed: [String])] = [
        ("firmware", ["bios", "efi", "efi-secure"]),
        ("disk_controller_type", ["pvscsi", "lsilogic", "lsilogic-sas", "nvme", "sata"]),
        ("network_card", ["vmxnet3", "e1000", "e1000e", "vmxnet2"]),
        ("ib_seed_delivery", ["cd", "http"]),
    ]
    /// Virtual hardware versions the orchestrator accepts (vmx-10 is ESXi 5.5; 22 is vSphere 9).
    static let hardwareVersions = 10...22
    /// Names that become file or directory names under output/.
    static let baseNames = ["build_name", "build_version", "base_build_version"]

    /// Checks every rule against the layered values.
    package static func check(_ vars: ResolvedVariables, layout: RepoLayout) throws(ConfigError) {
        func fail(_ key: String, _ allowed: String) throws(ConfigError) -> Never {
            let source = vars.effective(key)?.source.describe(layout) ?? key
            throw .invalidValue(source: source, key: key, value: vars.value(key), allowed: allowed)
        }
        // Each set value once (expanding is the costly part).
        func set(_ key: String) -> String? {
            guard vars.effective(key) != nil else { return nil }
            let value = vars.value(key)
            return value.isEmpty ? nil : value
        }
        for key in booleanKeys {
            if let value = set(key), !PackerBoolean.isValid(value) {
                try fail(key, "true or false (as packer reads it: 1, t, true, 0, f, false)")
            }
        }
        for key in positiveIntegers {
            guard let text = set(key) else { continue }
            guard text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let number = Int(text), number > 0 else {
                try fail(key, "a positive whole number")
            }
        }
        for (key, allowed) in choices {
            if let value = set(key), !allowed.contains(value) { try fail(key, "one of " + allowed.joined(separator: ", ")) }
        }
        if let version = set("vmx_version") {
            guard version.allSatisfy(\.isASCII), let number = Int(version), hardwareVersions.contains(number) else {
                try fail(
                    "vmx_version",
                    "a virtual hardware version from \(hardwareVersions.lowerBound) to \(hardwareVersions.upperBound) (vSphere 7 runs up to 19)")
            }
        }
        if let sources = set("cloudinit_datasources") {
            let names = sources.split(separator: ",", omittingEmptySubsequences: false).map { name -> Substring in
                let start = name.firstIndex { $0 != " " } ?? name.endIndex
                let end = name.lastIndex { $0 != " " }.map(name.index(after:)) ?? start
                return name[start..<max(start, end)]
            }
            if names.first != "VMware" || names.contains(where: { $0.isEmpty || !$0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } }) {
                try fail("cloudinit_datasources", "cloud-init datasource names separated by commas, VMware first (e.g. VMware,NoCloud,None)")
            }
        }
        if vars.isTrue("vtpm"), !["efi", "efi-secure"].contains(vars.value("firmware")) {
            try fail(
                "vtpm", "possible with firmware \(vars.value("firmware").isEmpty ? "bios" : vars.value("firmware")) (a vTPM needs efi or efi-secure)")
        }
        for key in baseNames where vars.effective(key) != nil {
            let text = vars.value(key)
            if !Paths.isPlainName(text) {
                try fail(key, "a plain name (no '/', not '.' or '..')")
            }
        }
    }
}
