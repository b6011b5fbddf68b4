public import ImageBuilderBasics

/// The MAAS ESXi build failed after it started (exit 1); its work directory is kept.
package enum ESXiBuildError: UserFacingError, Equatable {
    case toolFailed(tool: String, arguments: [String], outcome: String, output: String)
    case packerFailed(outcome: String, log: String)
    case invalidTemplate(output: String)
    case noBootPartition(disk: String, reason: String)
    case outputBusy(directory: String, holder: String)

    package var exitStatus: ExitStatus {
        switch self {
        case .outputBusy: .badInput
        default: .failed
        }
    }

    package var description: String {
        switch self {
        case .toolFailed(let tool, let arguments, let outcome, let output):
            "\(tool) \(arguments.joined(separator: " ")) failed (\(outcome))" + (output.isEmpty ? "" : ": \(output)")
        case .packerFailed(let outcome, let log): "packer failed (\(outcome)); see \(log)"
        case .invalidTemplate(let output): "packer validate: \(output)"
        case .noBootPartition(let disk, let reason): "\(disk): cannot write the curtin hooks onto partition 1: \(reason)"
        case .outputBusy(let directory, let holder): "\(directory) is being written by another run (\(holder))"
        }
    }

    package var hint: String? {
        switch self {
        case .outputBusy: "wait for it, or build another release (ESXI_RELEASE) into its own output directory"
        case .noBootPartition: "the installer did not write a bootable disk: read the serial console log in the work directory"
        default: nil
        }
    }
}
