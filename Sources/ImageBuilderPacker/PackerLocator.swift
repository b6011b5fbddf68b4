public import ImageBuilderBasics
public import ImageBuilderConfig

/// Finds the packer binary: PACKER_BIN, then `.local/bin/packer` in the repo, then `packer` on
/// PATH (leaving out sbin folders, where cracklib installs an unrelated `packer`).
package enum PackerLocator {
    package enum Result: Sendable, Equatable {
        case found(String)
        /// PACKER_BIN names something that is not an executable file.
        case notExecutable(String)
        case notFound
    }

    package static func locate(_ env: RunEnvironment, layout: RepoLayout) -> Result {
        if let given = env["PACKER_BIN"] {
            let path = given.contains("/") ? env.absolute(given) : search(given, env) ?? given
            return FileReader.isExecutable(path) ? .found(path) : .notExecutable(path)
        }
        let local = layout.root + "/.local/bin/packer"
        if FileReader.isExecutable(local) { return .found(local) }
        return search("packer", env).map(Result.found) ?? .notFound
    }

    /// An executable named `name` on PATH (sbin folders left out).
    package static func search(_ name: String, _ env: RunEnvironment) -> String? {
        for directory in (env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            if directory.hasSuffix("sbin") { continue }
            let candidate = String(directory) + "/" + name
            if FileReader.isExecutable(candidate) { return candidate }
        }
        return nil
    }

    /// The path for argv (the bare name when nothing was found, so plan still shows a command).
    package static func path(_ result: Result) -> String {
        switch result {
        case .found(let p), .notExecutable(let p): p
        case .notFound: "packer"
        }
    }
}
