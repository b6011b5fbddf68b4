public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning

/// `clean-…`: removes a target's local output directory, its work directories and its log.
/// Never touches vCenter, and never anything outside `output/`.
package struct Cleaner: Sendable {
    package let layout: RepoLayout

    package init(layout: RepoLayout) { self.layout = layout }

    /// What `clean` removes for a plan (existing or not), and paths it refuses.
    package func paths(for plan: BuildPlan) -> (remove: [String], refused: [String]) {
        var remove: [String] = []
        var refused: [String] = []
        if Paths.isInside(plan.outputDirectory, layout.outputDirectory), plan.outputDirectory != layout.outputDirectory,
            !Paths.isInside(plan.outputDirectory, layout.workRoot)
        {
            remove.append(plan.outputDirectory)
        } else {
            refused.append(plan.outputDirectory)
        }
        let prefix = plan.workPrefix
        for name in (FileReader.list(layout.workRoot) ?? []).sorted()
        where name.hasPrefix(prefix) && BuildWorkspace.isRunID(name.dropFirst(prefix.count)) {
            remove.append(layout.workRoot + "/" + name)
        }
        remove.append(plan.logFile)
        return (remove, refused)
    }

    /// Removes them; returns what was there.
    package func clean(_ plan: BuildPlan) throws(FileError) -> (removed: [String], refused: [String]) {
        let (candidates, refused) = paths(for: plan)
        var removed: [String] = []
        for path in candidates where try FileWriter.remove(path) { removed.append(path) }
        return (removed, refused)
    }
}
