/// One stretch of a build's time in a run: the report carries them, and the run's timeline
/// picture is drawn from them (`output/logs/run-<run-id>.svg`).
package struct StageSpan: Sendable, Codable, Equatable {
    /// What the build was doing; the picture colours spans by kind.
    package enum Kind: String, Sendable, Codable, CaseIterable {
        /// Waiting for a place among the run's parallel builds (`-j`).
        case queued
        /// Waiting for something else: a base being built, a job slot from make.
        case waiting
        /// The orchestrator's own work before packer: the ISO cache, the work directory, vCenter.
        case preparing
        /// One of packer's stages ("Creating VM", "Waiting for IP" …).
        case packer
        /// The stall watchdog diagnosing a build it stopped.
        case stalled
        /// The steps after packer: template, snapshot, export, OVA, publish.
        case after
    }

    package let name: String
    package let kind: Kind
    /// Seconds from the run's start.
    package let start: Double
    package let end: Double

    package init(name: String, kind: Kind, start: Double, end: Double) {
        self.name = name
        self.kind = kind
        self.start = start
        self.end = end
    }

    package var seconds: Double { end - start }

    /// The kind of a stage the runner reports by name.
    package static func kind(ofStage name: String) -> Kind {
        switch name {
        case BuildEvent.stalledStage: .stalled
        case BuildEvent.afterPackerStage: .after
        case BuildEvent.fetchingISOStage: .preparing
        default: .packer
        }
    }
}
