public import ImageBuilderBasics
import ImageBuilderConfig

extension ESXiPlanner {
    /// The image a build left, for `maas publish maas-esxi`: the release from ESXI_RELEASE or
    /// the ISO's name, else the only `output/esxi-*/esxi-*.dd.gz` there is.
    package func builtImage() throws(ESXiInputError) -> (path: String, release: String) {
        func image(_ release: String) -> String { layout.outputDirectory + "/esxi-\(release)/esxi-\(release).dd.gz" }
        var release: String?
        if let given = environment["ESXI_RELEASE"], !given.isEmpty {
            release = given
        } else if let iso = environment["ESXI_ISO"] {
            release = Self.release(isoName: Paths.basename(iso))
        }
        if let release {
            guard Paths.isPlainName(release), FileReader.exists(image(release)) else {
                throw .isoUnusable(variable: "ESXI_RELEASE", path: image(release), reason: "no such image (run make build-maas-esxi first)")
            }
            return (image(release), release)
        }
        let built = (FileReader.list(layout.outputDirectory) ?? []).filter { $0.hasPrefix("esxi-") }.map { String($0.dropFirst(5)) }
            .filter { FileReader.exists(image($0)) }.sorted()
        guard built.count == 1, let only = built.first else {
            throw .unset(
                variable: "ESXI_RELEASE",
                meaning: built.isEmpty
                    ? "no output/esxi-*/ image is built yet" : "several releases are built (\(built.joined(separator: ", "))): name one")
        }
        return (image(only), only)
    }
}
