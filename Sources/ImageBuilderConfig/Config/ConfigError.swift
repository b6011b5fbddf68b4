public import ImageBuilderBasics

/// Bad configuration found before anything starts: every case is exit 2 and names the file
/// (and key, where there is one).
package enum ConfigError: UserFacingError, Equatable {
    case fileMissing(path: String, origin: String)
    case fileUnreadable(path: String, origin: String)
    case isDirectory(path: String, origin: String)
    /// A FIFO, a device, a socket or a symlink loop where a file was expected.
    case notRegularFile(path: String, kind: String, origin: String)
    case fileTooLarge(path: String, limit: Int, origin: String)
    case invalidJSON(path: String, line: Int, column: Int, reason: String)
    case notAnObject(path: String, found: String)
    case wrongValueType(path: String, key: String, line: Int, found: String)
    case emptyKey(path: String, line: Int)
    case badPackerFlags(reason: String)
    case flagNeedsValue(flag: String)
    case malformedVar(origin: String, text: String)
    case secretOnCommandLine(key: String, origin: String)
    case invalidToggle(name: String, value: String, allowed: [String])
    case malformedVarFileOption(text: String)
    case requiredVariableUnset(name: String, template: String, consulted: [String])
    case missingSettings(target: String, keys: [String], consulted: [String])
    case rootNotFound(reason: String)
    case unknownVariable(name: String, target: String, suggestions: [String])
    /// A value packer would refuse or the orchestrator would misread; `source` is where it was set.
    case invalidValue(source: String, key: String, value: String, allowed: String)
    /// `-only`/`-except` in PACKER_FLAGS that leaves out the builder the target runs.
    case builderExcluded(flag: String, builder: String, target: String)
    /// OVF_CUSTOM_PROPERTIES that is not an object of representable strings.
    case badProperties(path: String, reason: String)
    /// An output path (a report, a log folder) that cannot be written.
    case unusableOutput(option: String, path: String, reason: String)
    /// `ib_profile: simulator` with a vcenter_server that is not on 127.0.0.1.
    case simulatorProfileNotLoopback(server: String, consulted: [String])
    /// A secret the build needs from the environment, missing or refused (its value not shown).
    case secretRequired(variable: String, target: String, reason: String)

    package var exitStatus: ExitStatus { .badInput }

    package var description: String {
        switch self {
        case .fileMissing(let path, let origin): "\(path): no such file (from \(origin))"
        case .fileUnreadable(let path, let origin): "\(path): cannot be read (from \(origin))"
        case .isDirectory(let path, let origin): "\(path): is a directory, not a var file (from \(origin))"
        case .notRegularFile(let path, let kind, let origin): "\(path): is \(kind), not a regular file; not read (from \(origin))"
        case .fileTooLarge(let path, let limit, let origin): "\(path): larger than \(limit >> 20) MiB; not read (from \(origin))"
        case .invalidJSON(let path, let line, let column, let reason): "\(path):\(line):\(column): invalid JSON: \(reason)"
        case .notAnObject(let path, let found): "\(path): expected a JSON object of variables, found \(found)"
        case .wrongValueType(let path, let key, let line, let found):
            "\(path):\(line): key '\(key)': expected a string, number, boolean or null, found \(found)"
        case .emptyKey(let path, let line): "\(path):\(line): empty variable name"
        case .badPackerFlags(let reason): "PACKER_FLAGS: \(reason)"
        case .flagNeedsValue(let flag): "PACKER_FLAGS: '\(flag)' needs a value"
        case .malformedVar(let origin, let text): "\(origin): '-var \(text)' is not of the form key=value"
        case .secretOnCommandLine(let key, let origin):
            "\(origin): '-var \(key)=…' would put a secret on packer's command line; refused"
        case .invalidToggle(let name, let value, let allowed):
            "\(name)=\(value): expected one of \(allowed.joined(separator: ", "))"
        case .malformedVarFileOption(let text): "--var-file '\(text)': expected OS=FILE"
        case .requiredVariableUnset(let name, let template, let consulted):
            "\(template): required variable '\(name)' is set by no var file (consulted: \(consulted.joined(separator: ", ")))"
        case .missingSettings(let target, let keys, let consulted):
            "\(target): vSphere setting\(keys.count == 1 ? "" : "s") \(keys.map { "'\($0)'" }.joined(separator: ", ")) "
                + "empty after layering (consulted: \(consulted.joined(separator: ", ")))"
        case .rootNotFound(let reason): "cannot find the image-builder repository: \(reason)"
        case .unknownVariable(let name, let target, _): "\(target): no variable '\(name)' in the template or any var file"
        case .invalidValue(let source, let key, let value, let allowed):
            "\(source): key '\(key)': '\(value)' is not \(allowed)"
        case .builderExcluded(let flag, let builder, let target):
            "PACKER_FLAGS: '\(flag)' leaves out builder '\(builder)', which \(target) runs"
        case .unusableOutput(let option, let path, let reason): "\(option) \(path): \(reason)"
        case .badProperties(let path, let reason): "\(path): \(reason)"
        case .simulatorProfileNotLoopback(let server, let consulted):
            "ib_profile 'simulator' needs vcenter_server on 127.0.0.1, got '\(server)' (consulted: \(consulted.joined(separator: ", ")))"
        case .secretRequired(let variable, let target, let reason): "\(target): \(variable) \(reason)"
        }
    }

    package var hint: String? {
        switch self {
        case .secretOnCommandLine(let key, _):
            key == "password"
                ? "set VSPHERE_PASSWORD in the environment, or put it in a var file (chmod 600) listed in PACKER_VAR_FILES"
                : "put it in a var file (chmod 600) listed in PACKER_VAR_FILES, or use the environment (SSH_PASSWORD)"
        case .missingSettings:
            "put them in a var file listed in PACKER_VAR_FILES (password may come from VSPHERE_PASSWORD)"
        case .fileMissing(_, let origin) where origin.hasPrefix("iso_url"):
            "put the ISO there, or set iso_url (file:// or https://) and iso_checksum in a var file"
        case .fileMissing(_, let origin) where origin.contains("PACKER_VAR_FILES"):
            "relative paths resolve against the working directory; a space inside a path is written `\\ `"
        case .rootNotFound:
            "run from inside the repository, or set IB_ROOT to it"
        case .secretRequired(let variable, _, _):
            "export \(variable) (read -rs \(variable); export \(variable)): at least 8 characters of 3 kinds (lower, upper, digit, other)"
        case .unknownVariable(_, _, let suggestions) where !suggestions.isEmpty:
            "did you mean: \(suggestions.joined(separator: ", "))?"
        default: nil
        }
    }
}
