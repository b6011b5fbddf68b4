import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

@testable import ImageBuilderCLI

/// The run timeline (goal E8): stage spans from events, the SVG drawn from a report, and
/// `image-builder report` drawing a saved report again.
@Suite struct TimelineTests {
    static func outcome(_ target: String, _ result: RunOutcome.Result, exit: Int32? = nil, seconds: Double, stages: [StageSpan]) -> RunOutcome {
        var outcome = RunOutcome(target: target, result: result, exitCode: exit, seconds: seconds)
        outcome.stages = stages
        return outcome
    }

    static func report(_ builds: [RunOutcome], seconds: Double) -> RunReport {
        RunReport(
            runID: "20261206-173005-ab12", startedAt: "2026-12-06T17:30:05Z", seconds: seconds, jobs: 4, exitCode: 1,
            interrupted: false, orchestratorCPUSeconds: 0.5, builds: builds, isoBytesUploaded: 0)
    }

    @Test func eventsBecomeSpansInTimeOrderWithTheQueueFirst() {
        let recorder = TimelineRecorder()
        let t = "build-node-ova-vsphere-ubuntu-2404"
        recorder.record(.scheduled(target: t), at: 2)
        recorder.record(.waiting(target: t, reason: "a job slot from make"), at: 2.5)
        recorder.record(.started(target: t, logFile: "/x.log"), at: 4)
        recorder.record(.stage(target: t, "Creating VM"), at: 5)
        recorder.record(.line(target: t, "anything"), at: 6)
        recorder.record(.stage(target: t, "Waiting for IP"), at: 7)
        recorder.record(.stage(target: t, "Waiting for IP"), at: 8)
        recorder.record(.stage(target: t, BuildEvent.afterPackerStage), at: 20)
        recorder.record(.finished(Self.outcome(t, .succeeded, seconds: 28, stages: [])), at: 30)
        recorder.record(.stage(target: t, "late"), at: 31)
        let spans = recorder.spans(for: t)
        #expect(
            spans.map(\.name) == [
                "queued", "preparing", "waiting: a job slot from make", "starting packer", "Creating VM", "Waiting for IP",
                BuildEvent.afterPackerStage,
            ])
        #expect(spans.map(\.kind) == [.queued, .preparing, .waiting, .preparing, .packer, .packer, .after])
        #expect(spans.map(\.start) == [0, 2, 2.5, 4, 5, 7, 20])
        #expect(spans.map(\.end) == [2, 2.5, 4, 5, 7, 20, 30])
        #expect(recorder.spans(for: "never-scheduled").isEmpty)
    }

    @Test func theSVGHasARowPerBuildWithProportionalSpansTicksAndALegend() throws {
        let builds = [
            Self.outcome(
                "build-node-ova-vsphere-ubuntu-2404", .succeeded, exit: 0, seconds: 100,
                stages: [
                    StageSpan(name: "queued", kind: .queued, start: 0, end: 10),
                    StageSpan(name: "Waiting for IP", kind: .packer, start: 10, end: 70),
                    StageSpan(name: "vSphere steps after packer", kind: .after, start: 70, end: 110),
                ]),
            Self.outcome(
                "build-node-ova-vsphere-a-very-long-operating-system-name-that-does-not-fit & <co>", .failed, exit: 1, seconds: 50,
                stages: [StageSpan(name: "Creating VM", kind: .packer, start: 0, end: 50)]),
            Self.outcome("build-node-ova-vsphere-flatcar", .notStarted, seconds: 0, stages: []),
        ]
        let svg = TimelineSVG.render(Self.report(builds, seconds: 120))
        let picture = try TimelinePicture.parse(svg)
        #expect(picture.foreign.isEmpty)
        #expect(picture.rows.map(\.target) == builds.map(\.target))
        #expect(picture.rows.map(\.resultText) == ["succeeded, 1m40s", "failed (exit 1), 50s", "not started"])
        #expect(picture.rows[0].spans.map(\.kind) == ["queued", "packer", "after"])
        #expect(picture.pixelsPerSecond > 0 && abs(picture.pixelsPerSecond * 120 - TimelineSVG.chartWidth) < 0.01)
        for row in picture.rows {
            #expect(row.label.count <= TimelineSVG.labelChars)
            for (a, b) in zip(row.spans, row.spans.dropFirst()) { #expect(a.end <= b.start && a.x + a.width <= b.x + 0.02) }
            for span in row.spans { #expect(abs(span.width - (span.end - span.start) * picture.pixelsPerSecond) < 0.02) }
        }
        #expect(picture.rows[1].label.contains("…") && picture.rows[1].label.hasSuffix("& <co>"))
        #expect(picture.ticks == ["0s", "15s", "30s", "45s", "1m", "1m15s", "1m30s", "1m45s", "2m"])
        #expect(picture.legend.count == StageSpan.Kind.allCases.count)
        // Fixed row height: fifty builds make a taller canvas, not smaller rows.
        let fifty = (0..<50).map { Self.outcome("build-node-ova-local-os-\($0)", .succeeded, seconds: 5, stages: builds[0].stages) }
        let tall = try TimelinePicture.parse(TimelineSVG.render(Self.report(fifty, seconds: 120)))
        #expect(tall.rows.count == 50 && tall.width == picture.width)
        #expect(abs((tall.height - picture.height) - 47 * TimelineSVG.rowHeight) < 0.01)
    }

    @Test func reportDrawsASavedReportAgainByteForByteAndRefusesOtherFiles() async throws {
        let root = try Fixtures.makeRepoCopy()
        let report = Self.report(
            [
                Self.outcome(
                    "build-node-ova-vsphere-ubuntu-2404", .succeeded, exit: 0, seconds: 1.234567,
                    stages: [
                        StageSpan(name: "Creating VM", kind: .packer, start: 0.1234567, end: 1.3333333)
                    ])
            ], seconds: 1.5)
        let svg = try RunTimeline.write(report, to: root + "/output/logs")
        let drawn = await CommandTests.run(["report", root + "/output/logs/run-\(report.runID).json", "--svg", root + "/again.svg"], root: root)
        #expect(drawn.code == 0, "\(drawn.err)")
        #expect(Fixtures.read(root + "/again.svg") == Fixtures.read(svg))
        try Fixtures.write("{\"runID\": \"x\", \"builds\": []}", to: root + "/bad.json")
        let bad = await CommandTests.run(["report", "bad.json"], root: root)
        #expect(bad.code == 2 && bad.err.contains(root + "/bad.json") && bad.err.contains("startedAt"), "\(bad.err)")
        let missing = await CommandTests.run(["report", "none.json"], root: root)
        #expect(missing.code == 2 && missing.err.contains("none.json"), "\(missing.err)")
        #expect(!FileReader.exists(root + "/bad.svg"))
        // Hostile files: a FIFO is refused without being opened for a read that never ends,
        // and a report over 64 MiB is not read at all.
        try #require(mkfifo(root + "/fifo.json", 0o600) == 0)
        let fifo = await CommandTests.run(["report", "fifo.json"], root: root)
        #expect(fifo.code == 2 && fifo.err.contains("fifo.json"), "\(fifo.err)")
        #expect(truncate(root + "/output/logs/run-\(report.runID).json", 65 << 20) == 0)
        let huge = await CommandTests.run(["report", "output/logs/run-\(report.runID).json"], root: root)
        #expect(huge.code == 2 && huge.err.contains("run-\(report.runID).json"), "\(huge.err)")
    }
}
