public import ImageBuilderBasics
public import ImageBuilderConfig

/// Reads stages out of packer's human output (`-timestamp-ui`): `==> <builder>: <stage>`.
package enum StageParser {
    package static func stage(in line: String) -> String? {
        let plain = ANSI.strip(line)
        guard let arrow = plain.firstRange(of: "==> ") else { return nil }
        let rest = plain[arrow.upperBound...]
        guard let colon = rest.firstRange(of: ": ") else { return nil }
        let stage = rest[colon.upperBound...].trimmingCharacters()
        return stage.isEmpty ? nil : stage
    }
}
