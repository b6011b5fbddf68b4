public import ImageBuilderConfig

/// The repository's defaults for the hardware keys of an OVF (`packer-common.json`), for a
/// packer manifest written before its custom_data carried them.
package enum PackagingDefaults {
    /// The values of `keys` in the common var file, read the same way the builds' layering
    /// reads it ("" for a key it does not set).
    package static func values(_ keys: [String], layout: RepoLayout) throws -> [String: String] {
        let defaults = try VarFileLoader().load(layout.commonVarFile, origin: "the packaging defaults")
        var values: [String: String] = [:]
        for key in keys { values[key] = defaults.entries.last { $0.key == key }?.value.packerText ?? "" }
        return values
    }
}
