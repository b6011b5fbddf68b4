public import VSphereKit

/// What the orchestrator found about a build it stopped for stalling: in the log, the summary
/// line and the JSON report.
package struct StallDiagnosis: Sendable, Codable, Equatable {
    /// packer's stage text (`Waiting for IP...`) and which wait it is.
    package let stage: String
    package let waitingFor: String
    package let waitedSeconds: Int
    package let limitSeconds: Int
    /// From vCenter (vSphere families): the guest's state and the last events on the VM.
    package var guest: VSphereClient.GuestState?
    package var events: [String] = []
    /// The console screenshot under `output/logs/`, or why there is none.
    package var screenshot: String?
    package var screenshotNote: String?
    /// packer's last lines, and (local families) the VNC address packer printed.
    package var lastLines: [String] = []
    package var vnc: String?
    /// What could not be learned (vCenter unreachable, the VM gone).
    package var problems: [String] = []

    package init(_ stall: StallWatchdog.Stall) {
        stage = stall.stage
        waitingFor = stall.waiting.rawValue
        waitedSeconds = Int(stall.waited.components.seconds)
        limitSeconds = Int(stall.limit.components.seconds)
        lastLines = stall.lastLines
        vnc = stall.lastLines.last { $0.contains("VNC") }
    }

    /// The summary line: `stalled in 'Waiting for IP...' for 901 s (limit 900 s): poweredOn, …`.
    package var summary: String {
        var parts = ["stalled in '\(stage)' for \(waitedSeconds) s (limit \(limitSeconds) s), stopped"]
        if let guest { parts.append(guest.summary) }
        if let screenshot { parts.append("console: \(screenshot)") } else if let screenshotNote { parts.append(screenshotNote) }
        if let vnc { parts.append(vnc) }
        return parts.joined(separator: "; ")
    }

    /// The lines written to the build's log.
    package var logLines: [String] {
        var lines = ["stall: " + summary]
        for event in events { lines.append("stall: event: " + event) }
        for problem in problems { lines.append("stall: " + problem) }
        return lines
    }
}
