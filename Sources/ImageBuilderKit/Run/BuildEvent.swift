public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning

/// What a run reports as it goes; the CLI chooses how to show it (house-style §5.9).
package enum BuildEvent: Sendable, Equatable {
    /// The scheduler gave the build its place among the run's parallel builds.
    case scheduled(target: String)
    /// Waiting for something before packer starts (a base being built, a jobserver token).
    case waiting(target: String, reason: String)
    case started(target: String, logFile: String)
    /// A new stage from packer's output ("Creating VM", "Running local shell script" …).
    case stage(target: String, String)
    /// One line of packer's output, redacted.
    case line(target: String, String)
    case finished(RunOutcome)
}

extension BuildEvent {
    /// Stages the orchestrator reports itself (the timeline tells them from packer's).
    package static let fetchingISOStage = "fetching the ISO into the cache"
    package static let stalledStage = "stalled: diagnosing"
    package static let afterPackerStage = "vSphere steps after packer"
}

/// Receives events; called from many builds at once.
package typealias BuildObserver = @Sendable (BuildEvent) -> Void
