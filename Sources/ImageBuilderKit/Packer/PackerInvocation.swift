/// One packer run, exactly: argv as an array, working directory, and the names of the
/// environment variables the orchestrator sets (their values may be secrets: never shown).
package struct PackerInvocation: Sendable, Codable, Equatable {
    /// argv[0] is the packer executable.
    package var arguments: [String]
    package var workingDirectory: String
    /// Names only.
    package var environmentNames: [String]
    package var template: String

    /// The command as one display line (quoted for a shell; never executed through one).
    package var displayCommand: String { ShellWords.join(arguments) }
}

/// A var file as handed to packer.
package struct PlannedVarFile: Sendable, Codable, Equatable {
    /// The file as the user or the repo has it.
    package let path: String
    package let role: VarFileRole
    /// Where packer reads it from when a string-only copy is needed (packer 1.6.6 reads only
    /// strings and null): inside the build's work directory.
    package let stringCopy: String?

    /// The path in packer's argv.
    package var argumentPath: String { stringCopy ?? path }
}

/// A build under the simulator profile: the guest left out, and what that changes.
package struct SimulatedBuild: Sendable, Codable, Equatable {
    /// `<work dir>/packer-node.simulator.json` (with the run id placeholder).
    package let derivedTemplate: String
    package let transformations: [String]
}

/// An ISO to fetch into the cache: from `url` to `path`.
package struct ISODownload: Sendable, Codable, Equatable {
    package let url: String
    package let path: String
}

/// Everything one build will do, computed without side effects.
package struct BuildPlan: Sendable, Codable {
    /// The full name, with its verb (`build-node-ova-vsphere-ubuntu-2404`).
    package let target: String
    package let verb: Verb
    package let family: Family
    package let os: String
    package var packer: PackerInvocation
    package let varFiles: [PlannedVarFile]
    package let builder: String
    package let builderType: String
    package let postProcessors: [String]
    package let afterPacker: [Family.AfterStep]
    /// `output/.work/<target>-<run-id>` (the run id is chosen when the build starts).
    package let workDirectory: String
    package let outputDirectory: String
    package let logFile: String
    /// The unattended-install files rendered into the work directory before packer starts.
    package let seed: SeedFiles?
    /// An ISO the orchestrator fetches into its cache before packer starts (packer gets the
    /// cached copy through `-var iso_url=file://…`).
    package let isoDownload: ISODownload?
    /// Where the base's SSH password is kept (base families and the families built from a base).
    package let sshSecretFile: String?
    /// vSphere settings still empty after layering (a build refuses; plan and validate warn).
    package let missingSettings: [String]
    package let warnings: [String]
    /// The VM packer creates on vSphere (`vm_name`): watched, converted, exported, cleaned up.
    package var vmName: String? = nil
    /// Set under the simulator profile.
    package var simulator: SimulatedBuild? = nil
    /// The repository's template (the simulator profile derives its own from it).
    package var sourceTemplate: String = ""

    /// The placeholder in `workDirectory` for the run id.
    package static let runIDPlaceholder = "<run-id>"

    /// The work directory of a concrete run.
    package func workDirectory(runID: String) -> String {
        workDirectory.replacingOccurrences(of: BuildPlan.runIDPlaceholder, with: runID)
    }
}
