public import ImageBuilderBasics
import ImageBuilderPacker

/// Host tools found on PATH before anything starts: every missing one named at once with the
/// Debian packages that have them (exit 3).
enum HostToolSearch {
    static func locate(
        _ required: [(tool: String, package: String)], _ environment: RunEnvironment, extraHint: String = ""
    ) throws(EnvironmentError) -> [String: String] {
        var paths: [String: String] = [:]
        var missing: [(String, String)] = []
        for (tool, package) in required {
            if let path = PackerLocator.search(tool, environment) { paths[tool] = path } else { missing.append((tool, package)) }
        }
        if !missing.isEmpty {
            let packages = Array(Set(missing.map(\.1))).sorted().joined(separator: " ")
            throw .toolMissing(
                tool: missing.map(\.0).joined(separator: ", "), hint: "install them (Debian: apt-get install \(packages))" + extraHint)
        }
        return paths
    }
}
