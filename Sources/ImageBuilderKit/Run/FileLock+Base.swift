public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning

extension FileLock {
    /// The lock file of a base (by the base's output folder name, `base-<build_name>`).
    package static func basePath(layout: RepoLayout, baseOutputDirectory: String) -> String {
        layout.outputDirectory + "/.locks/" + Paths.basename(baseOutputDirectory) + ".lock"
    }
}
