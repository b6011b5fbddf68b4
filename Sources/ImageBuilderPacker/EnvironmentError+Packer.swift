public import ImageBuilderBasics
public import ImageBuilderConfig

extension EnvironmentError {
    /// Checks that packer can be run.
    package static func requirePacker(_ result: PackerLocator.Result) throws(EnvironmentError) {
        switch result {
        case .found: return
        case .notExecutable(let path): throw .toolNotExecutable(tool: "packer", path: path)
        case .notFound: throw .toolMissing(tool: "packer", hint: "run `make deps-ova`, or set PACKER_BIN")
        }
    }
}
