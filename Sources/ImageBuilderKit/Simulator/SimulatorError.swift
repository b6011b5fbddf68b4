public import ImageBuilderBasics

/// What goes wrong with the embedded simulator.
package enum SimulatorError: UserFacingError, Equatable {
    /// Go or govmomi's source is missing: exit 3.
    case notInstalled(String)
    /// It would not build or start.
    case failed(String)
    /// `sim env` or `sim stop` with none running: exit 2.
    case notRunning

    package var description: String {
        switch self {
        case .notInstalled(let reason), .failed(let reason): "simulator: \(reason)"
        case .notRunning: "simulator: not running (start it with `image-builder sim start` or `make sim`)"
        }
    }

    package var exitStatus: ExitStatus {
        switch self {
        case .notInstalled: .environment
        case .failed: .failed
        case .notRunning: .badInput
        }
    }

    package var hint: String? {
        if case .notInstalled = self { "run `make deps-ova` (it installs golang-go and golang-github-vmware-govmomi-dev)" } else { nil }
    }
}
