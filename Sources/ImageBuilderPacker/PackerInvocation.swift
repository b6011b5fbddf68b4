public import ImageBuilderBasics
public import ImageBuilderConfig

/// One packer run, exactly: argv as an array, working directory, and the names of the
/// environment variables the orchestrator sets (their values may be secrets: never shown).
package struct PackerInvocation: Sendable, Codable, Equatable {
    /// argv[0] is the packer executable.
    package var arguments: [String]
    package var workingDirectory: String
    /// Names only.
    package var environmentNames: [String]
    package var template: String

    package init(arguments: [String], workingDirectory: String, environmentNames: [String], template: String) {
        self.arguments = arguments
        self.workingDirectory = workingDirectory
        self.environmentNames = environmentNames
        self.template = template
    }

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

    package init(path: String, role: VarFileRole, stringCopy: String?) {
        self.path = path
        self.role = role
        self.stringCopy = stringCopy
    }

    /// The path in packer's argv.
    package var argumentPath: String { stringCopy ?? path }
}

/// A build under the simulator profile: the guest left out, and what that changes.
package struct SimulatedBuild: Sendable, Codable, Equatable {
    /// `<work dir>/packer-node.simulator.json` (with the run id placeholder).
    package let derivedTemplate: String
    package let transformations: [String]
    /// `disk_size` in MiB: the stand-in disk has the capacity the OVF declares.
    package let diskSizeMiB: Int64

    package init(derivedTemplate: String, transformations: [String], diskSizeMiB: Int64 = 16) {
        self.derivedTemplate = derivedTemplate
        self.transformations = transformations
        self.diskSizeMiB = diskSizeMiB
    }
}
