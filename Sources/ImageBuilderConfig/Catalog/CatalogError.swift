public import ImageBuilderBasics

/// Unknown or unsupported targets and malformed OS files: exit 2.
package enum CatalogError: UserFacingError, Equatable {
    case unknownTarget(name: String, suggestions: [String])
    case unknownOS(name: String, context: String, suggestions: [String])
    case unsupportedFamily(os: String, family: String, supported: [String], file: String)
    case wrongVerb(target: String, expected: String)
    case missingKey(file: String, key: String)
    case keyNotAString(file: String, key: String, line: Int)
    case unknownFamilyInFile(file: String, key: String, value: String)
    case invalidOSName(file: String)
    case noOperatingSystems(directory: String)
    case notSingle(name: String)

    package var exitStatus: ExitStatus { .badInput }

    package var description: String {
        switch self {
        case .unknownTarget(let name, _): "unknown target '\(name)'"
        case .unknownOS(let name, let context, _): "\(context): unknown OS '\(name)'"
        case .unsupportedFamily(let os, let family, let supported, let file):
            "\(os) has no '\(family)' family (\(file) lists: \(supported.joined(separator: ", ")))"
        case .wrongVerb(let target, let expected): "'\(target)' is not a \(expected) target"
        case .missingKey(let file, let key): "\(file): missing key '\(key)' (every OS file needs it)"
        case .keyNotAString(let file, let key, let line): "\(file):\(line): key '\(key)' must be a non-empty string"
        case .unknownFamilyInFile(let file, let key, let value):
            "\(file): key '\(key)': unknown family '\(value)' (families: \(Family.allCases.map(\.rawValue).joined(separator: ", ")))"
        case .invalidOSName(let file):
            "\(file): an OS file name must be lowercase letters, digits and '-' (it becomes a make target)"
        case .noOperatingSystems(let directory): "\(directory): holds no OS files (*.json)"
        case .notSingle(let name): "'\(name)' names several builds; this command takes one target, not an -all target"
        }
    }

    package var hint: String? {
        switch self {
        case .unknownTarget(_, let suggestions), .unknownOS(_, _, let suggestions):
            suggestions.isEmpty ? "`image-builder list` shows every target" : "did you mean: \(suggestions.joined(separator: ", "))?"
        case .unsupportedFamily(let os, _, let supported, _):
            "try " + supported.map { "node-ova-\($0)-\(os)" }.joined(separator: ", ")
        case .wrongVerb(let target, let expected):
            "use `image-builder \(target.split(separator: "-").first ?? "")` for it, or give the name without a verb (\(expected) it is then)"
        default: nil
        }
    }
}
