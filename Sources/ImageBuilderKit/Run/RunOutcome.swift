public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning

/// What happened to one target in a run.
package struct RunOutcome: Sendable, Codable, Equatable {
    package enum Result: String, Sendable, Codable {
        case succeeded, failed, cancelled
        case notStarted = "not started"
    }

    package let target: String
    package let result: Result
    /// packer's exit code, or 128+signal.
    package let exitCode: Int32?
    package let logFile: String?
    package let workDirectory: String?
    package let seconds: Double
    /// Why it failed before or around packer (packer's own reasons are in the log).
    package let message: String?
    /// The output directory of a build that succeeded.
    package let artifact: String?
    /// The steps after packer that were carried out, in order (the plan's `afterPacker`, or
    /// the part of it done before one failed).
    package var stepsPerformed: [AfterPackerStep] = []
    /// The watchdog's findings when it stopped the build for stalling.
    package var stall: StallDiagnosis?
    /// ISO bytes the build uploaded to the datastore (0 when the cache had it).
    package var isoBytesUploaded: Int64 = 0
    /// What the build did when, from the run's start (`TimelineRecorder`).
    package var stages: [StageSpan] = []

    package init(
        target: String, result: Result, exitCode: Int32? = nil, logFile: String? = nil,
        workDirectory: String? = nil, seconds: Double = 0, message: String? = nil, artifact: String? = nil,
        stepsPerformed: [AfterPackerStep] = []
    ) {
        self.stepsPerformed = stepsPerformed
        self.target = target
        self.result = result
        self.exitCode = exitCode
        self.logFile = logFile
        self.workDirectory = workDirectory
        self.seconds = seconds
        self.message = message
        self.artifact = artifact
    }

    /// The run's exit status: 130 if interrupted, 1 if anything did not succeed.
    package static func exitStatus(_ outcomes: [RunOutcome], interrupted: Bool = false) -> ExitStatus {
        if interrupted { return .interrupted }
        return outcomes.allSatisfy { $0.result == .succeeded } ? .success : .failed
    }
}
