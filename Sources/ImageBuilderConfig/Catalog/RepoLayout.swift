public import ImageBuilderBasics

/// Where things are in the repository. The root is `IB_ROOT` if set, else found by walking up
/// from the working directory, else from the executable's location.
package struct RepoLayout: Sendable, Equatable {
    package let root: String

    package init(root: String) { self.root = Paths.normalize(root) }

    package var imagesDirectory: String { root + "/images" }
    package var template: String { root + "/packer/ova/packer-node.json" }
    package var commonVarFile: String { root + "/packer/ova/packer-common.json" }
    package var sharedConfigDirectory: String { root + "/packer/config" }
    package var outputDirectory: String { root + "/output" }
    package var workRoot: String { outputDirectory + "/.work" }
    package var logDirectory: String { outputDirectory + "/logs" }

    /// The shared config files, lowest precedence first: these names in this order, then any
    /// other `packer/config/*.json` in name order.
    package static let sharedConfigOrder = [
        "kubernetes", "cni", "containerd", "ansible-args", "goss-args", "common",
        "additional_components", "ecr_credential_provider",
    ]

    /// A path relative to the root, for messages.
    package func display(_ path: String) -> String { Paths.display(path, root: root) }

    /// Whether `directory` looks like the repository root.
    package static func isRoot(_ directory: String) -> Bool {
        FileReader.isDirectory(directory + "/images") && FileReader.isDirectory(directory + "/packer/ova")
    }

    /// Finds the root per the paths contract.
    package static func locate(in environment: RunEnvironment) throws(ConfigError) -> RepoLayout {
        if let given = environment["IB_ROOT"] {
            let path = environment.absolute(given)
            guard isRoot(path) else { throw .rootNotFound(reason: "IB_ROOT=\(given) has no images/ and packer/ova/") }
            return RepoLayout(root: path)
        }
        var starts = [environment.workingDirectory]
        if let exe = environment.executablePath { starts.append(Paths.dirname(environment.absolute(exe))) }
        for start in starts {
            var directory = Paths.normalize(start)
            while true {
                if isRoot(directory) { return RepoLayout(root: directory) }
                if directory == "/" { break }
                directory = Paths.dirname(directory)
            }
        }
        throw .rootNotFound(reason: "no directory with images/ and packer/ova/ above \(environment.workingDirectory)")
    }
}
