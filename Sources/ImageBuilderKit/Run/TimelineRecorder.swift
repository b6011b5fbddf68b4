import Synchronization

/// Turns a run's events into each build's stage spans, timed from the run's start: the time
/// before a build's first event is `queued`, and each event that changes what a build does ends
/// the span before it. Called from many builds at once.
package final class TimelineRecorder: Sendable {
    private struct Open {
        let name: String
        let kind: StageSpan.Kind
        let start: Double
    }

    private struct Track {
        var spans: [StageSpan] = []
        var open: Open?
        var finished = false
    }

    private let origin: ContinuousClock.Instant
    private let tracks = Mutex<[String: Track]>([:])

    package init(origin: ContinuousClock.Instant = .now) { self.origin = origin }

    /// Records `event` now.
    package func record(_ event: BuildEvent) {
        record(event, at: origin.duration(to: .now) / .seconds(1))
    }

    /// Records `event` at `seconds` from the run's start.
    package func record(_ event: BuildEvent, at seconds: Double) {
        switch event {
        case .scheduled(let target): open(target, "preparing", .preparing, at: seconds)
        case .waiting(let target, let reason): open(target, "waiting: " + reason, .waiting, at: seconds)
        case .started(let target, _): open(target, "starting packer", .preparing, at: seconds)
        case .stage(let target, let name): open(target, name, StageSpan.kind(ofStage: name), at: seconds)
        case .line: break
        case .finished(let outcome):
            tracks.withLock { tracks in
                guard var track = tracks[outcome.target], !track.finished else { return }
                Self.close(&track, at: seconds)
                track.finished = true
                tracks[outcome.target] = track
            }
        }
    }

    /// The spans of `target`, in time order (an unfinished build's open span ends at `now`).
    package func spans(for target: String) -> [StageSpan] {
        tracks.withLock { $0[target]?.spans ?? [] }
    }

    private func open(_ target: String, _ name: String, _ kind: StageSpan.Kind, at seconds: Double) {
        tracks.withLock { tracks in
            var track = tracks[target] ?? Track()
            guard !track.finished else { return }
            if track.open == nil && track.spans.isEmpty && seconds > 0 {
                track.spans.append(StageSpan(name: "queued", kind: .queued, start: 0, end: seconds))
            }
            // A stage packer prints again (a second "Waiting for SSH…") goes on.
            if let open = track.open, open.name == name, open.kind == kind { return }
            Self.close(&track, at: seconds)
            track.open = Open(name: name, kind: kind, start: max(seconds, track.spans.last?.end ?? 0))
            tracks[target] = track
        }
    }

    private static func close(_ track: inout Track, at seconds: Double) {
        guard let open = track.open else { return }
        track.spans.append(StageSpan(name: open.name, kind: open.kind, start: open.start, end: max(open.start, seconds)))
        track.open = nil
    }
}
