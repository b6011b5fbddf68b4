/// Something the machine lacks: exit 3, before any build starts.
package enum EnvironmentError: UserFacingError, Equatable {
    case toolMissing(tool: String, hint: String)
    case toolNotExecutable(tool: String, path: String)
    case cannotStart(tool: String, reason: String)

    package var exitStatus: ExitStatus { .environment }

    package var description: String {
        switch self {
        case .toolMissing(let tool, _): "\(tool) not found"
        case .toolNotExecutable(let tool, let path): "\(tool): \(path) is not an executable file"
        case .cannotStart(let tool, let reason): "cannot start \(tool): \(reason)"
        }
    }

    package var hint: String? {
        switch self {
        case .toolMissing(_, let hint): hint
        case .toolNotExecutable: "fix PACKER_BIN or unset it"
        case .cannotStart: nil
        }
    }
}
