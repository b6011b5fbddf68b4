public import ImageBuilderBasics
public import ImageBuilderConfig

/// Values packer would refuse later, or the orchestrator would misread, refused while planning
/// (exit 2 naming the file, line and key, and the allowed values): hardware, booleans, names
/// that become paths.
package enum VariableChecks {
    static let booleanKeys = ["insecure_connection", "convert_to_template", "destroy", "headless", "disable_hypervisor"]
    static let positiveIntegers = ["disk_size", "cpu", "cpu_cores", "memory"]
    static let choices: [(key: String, allowed: [String])] = [
        ("firmware", ["bios", "efi", "efi-secure"]),
        ("disk_controller_type", ["pvscsi", "lsilogic", "lsilogic-sas", "nvme", "sata"]),
        ("network_card", ["vmxnet3", "e1000", "e1000e", "vmxnet2"]),
    ]
    /// Names that become file or directory names under output/.
    static let baseNames = ["build_name", "build_version", "base_build_version"]

    /// Checks every rule against the layered values.
    package static func check(_ vars: ResolvedVariables, layout: RepoLayout) throws(ConfigError) {
        func fail(_ key: String, _ allowed: String) throws(ConfigError) -> Never {
            let source = vars.effective(key)?.source.describe(layout) ?? key
            throw .invalidValue(source: source, key: key, value: vars.value(key), allowed: allowed)
        }
        for key in booleanKeys where vars.effective(key) != nil && !vars.value(key).isEmpty {
            if !PackerBoolean.isValid(vars.value(key)) { try fail(key, "true or false (as packer reads it: 1, t, true, 0, f, false)") }
        }
        for key in positiveIntegers where vars.effective(key) != nil && !vars.value(key).isEmpty {
            let text = vars.value(key)
            guard text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), let number = Int(text), number > 0 else {
                try fail(key, "a positive whole number")
            }
        }
        for (key, allowed) in choices where vars.effective(key) != nil && !vars.value(key).isEmpty {
            if !allowed.contains(vars.value(key)) { try fail(key, "one of " + allowed.joined(separator: ", ")) }
        }
        for key in baseNames where vars.effective(key) != nil {
            let text = vars.value(key)
            if !Paths.isPlainName(text) {
                try fail(key, "a plain name (no '/', not '.' or '..')")
            }
        }
    }
}
