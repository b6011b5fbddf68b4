public import ImageBuilderBasics

/// What goes wrong in the run stage around packer: the ISO cache, make's jobserver.
package enum RunError: UserFacingError, Equatable {
    case isoDownload(url: String, reason: String)
    case isoChecksumMismatch(url: String, expected: String, actual: String)
    case isoCache(url: String, reason: String)
    /// Another run holds the target (or its VM name, or its base) now.
    case targetBusy(target: String, holder: String)
    /// A build from a base whose build did not complete (or never ran).
    case baseIncomplete(target: String, baseTarget: String)
    /// make's jobserver pipe closed under the run (make itself ended).
    case jobserverClosed
    /// The run was cancelled (SIGINT, SIGTERM, --fail-fast) before or around packer.
    case interrupted

    package var description: String {
        switch self {
        case .isoDownload(let url, let reason): "ISO \(url): download failed: \(reason)"
        case .isoChecksumMismatch(let url, let expected, let actual): "ISO \(url): checksum mismatch: expected \(expected), got \(actual)"
        case .isoCache(let url, let reason): "ISO \(url): \(reason)"
        case .targetBusy(let target, let holder): "\(target) is being built by another run (\(holder)); not started"
        case .baseIncomplete(let target, _): "\(target): its base has not completed (no completion marker)"
        case .jobserverClosed: "make's jobserver closed (did make end?)"
        case .interrupted: "interrupted"
        }
    }

    package var hint: String? {
        if case .baseIncomplete(_, let base) = self { "build it first: make \(base)" } else { nil }
    }

    package var exitStatus: ExitStatus {
        switch self {
        case .isoDownload, .isoChecksumMismatch, .isoCache: .failed
        case .jobserverClosed: .environment
        case .targetBusy, .baseIncomplete: .badInput
        case .interrupted: .interrupted
        }
    }
}
