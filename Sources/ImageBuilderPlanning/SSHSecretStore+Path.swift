public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker

extension SSHSecretStore {
    /// Where a family finds the stored secret: its own base folder for a base family, its
    /// base's for a derived one (vsphere-clone, local-vmx); none for the others.
    package static func path(family: Family, baseOutputDirectory: String) -> String? {
        family.isBase || family.baseFamily != nil ? baseOutputDirectory + "/" + fileName : nil
    }
}
