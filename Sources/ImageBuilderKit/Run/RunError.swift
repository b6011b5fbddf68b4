public import ImageBuilderBasics

/// What goes wrong in the run stage around packer: the ISO cache, make's jobserver.
package enum RunError: UserFacingError, Equatable {
    case isoDownload(url: String, reason: String)
    case isoChecksumMismatch(url: String, expected: String, actual: String)
    case isoCache(url: String, reason: String)
    /// make's jobserver pipe closed under the run (make itself ended).
    case jobserverClosed
    /// The run was cancelled (SIGINT, SIGTERM, --fail-fast) before or around packer.
    case interrupted

    package var description: String {
        switch self {
        case .isoDownload(let url, let reason): "ISO \(url): download failed: \(reason)"
        case .isoChecksumMismatch(let url, let expected, let actual): "ISO \(url): checksum mismatch: expected \(expected), got \(actual)"
        case .isoCache(let url, let reason): "ISO \(url): \(reason)"
        case .jobserverClosed: "make's jobserver closed (did make end?)"
        case .interrupted: "interrupted"
        }
    }

    package var exitStatus: ExitStatus {
        switch self {
        case .isoDownload, .isoChecksumMismatch, .isoCache: .failed
        case .jobserverClosed: .environment
        case .interrupted: .interrupted
        }
    }
}
