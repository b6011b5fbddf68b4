/// A file-system step that failed.
package enum FileError: UserFacingError, Equatable {
    /// A directory, lock or small file the run needs could not be made (the machine's state): exit 3.
    case cannotPrepare(path: String, reason: String)
    /// An artifact could not be written (a disk, an OVA member): exit 1.
    case cannotWrite(path: String, reason: String)

    package var description: String {
        switch self {
        case .cannotPrepare(let path, let reason), .cannotWrite(let path, let reason): "\(path): \(reason)"
        }
    }

    package var exitStatus: ExitStatus {
        switch self {
        case .cannotPrepare: .environment
        case .cannotWrite: .failed
        }
    }
}
