import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// The scheduler's window, keep-going and fail-fast, through a packer that only measures.
@Suite struct BuildSchedulerTests {
    @Test("never more builds at once than the window, and every build runs")
    func theWindowBoundsConcurrency() async throws {
        let f = try OrchestrationFixture()
        let plans = try f.plans(["build-node-ova-local-all"])
        #expect(plans.count >= 6)
        let probe = ProbeProcessRunner(duration: .milliseconds(200), holdUntilPeak: 2)
        let outcomes = await BuildScheduler(runner: f.runner(probe), limit: 2).run(plans)
        #expect(probe.peak == 2)
        #expect(Set(probe.finished) == Set(plans.map(\.target)))
        #expect(outcomes.map(\.target) == plans.map(\.target))
        #expect(outcomes.allSatisfy { $0.result == .succeeded })
    }

    @Test("a window of one runs the builds one after another, bases first")
    func aWindowOfOneIsSequentialAndBasesComeFirst() async throws {
        let f = try OrchestrationFixture()
        let plans = try f.plans(["build-node-ova-local-ubuntu-2404", "build-node-ova-local-base-ubuntu-2204"])
        let probe = ProbeProcessRunner(duration: .milliseconds(20))
        _ = await BuildScheduler(runner: f.runner(probe), limit: 1).run(plans)
        #expect(probe.peak == 1)
        #expect(probe.started == ["build-node-ova-local-base-ubuntu-2204", "build-node-ova-local-ubuntu-2404"])
    }

    @Test("without --fail-fast, one failure lets the others finish")
    func keepGoingRunsTheRest() async throws {
        let f = try OrchestrationFixture()
        let plans = try f.plans(["build-node-ova-local-all"])
        let failing = plans[1].target
        let probe = ProbeProcessRunner(duration: .milliseconds(50)) { $0 == failing ? 1 : 0 }
        let outcomes = await BuildScheduler(runner: f.runner(probe), limit: 2).run(plans)
        #expect(outcomes.filter { $0.result == .failed }.map(\.target) == [failing])
        #expect(outcomes.filter { $0.result == .succeeded }.count == plans.count - 1)
        #expect(RunOutcome.exitStatus(outcomes) == .failed)
    }

    @Test("--fail-fast cancels running builds and starts no more")
    func failFastCancelsTheRest() async throws {
        let f = try OrchestrationFixture()
        let plans = try f.plans(["build-node-ova-local-all"])
        let failing = plans[0].target
        // The failing build ends first; its neighbour in the window is still running.
        let probe = ProbeProcessRunner(duration: .seconds(60)) { $0 == failing ? 1 : 0 }
        let quick = ProbeProcessRunner(duration: .milliseconds(10)) { $0 == failing ? 1 : 0 }
        let runner = FirstFastRunner(first: failing, fast: quick, slow: probe)
        let outcomes = await BuildScheduler(runner: f.runner(runner), limit: 2, failFast: true).run(plans)
        #expect(outcomes[0].result == .failed)
        #expect(outcomes[1].result == .cancelled)
        #expect(outcomes.dropFirst(2).allSatisfy { $0.result == .notStarted && $0.message?.contains("--fail-fast") == true })
        #expect(probe.finished.isEmpty, "the cancelled build was stopped, not waited for")
    }
}

/// Sends one label to a fast runner and the rest to a slow one.
struct FirstFastRunner: ProcessRunning {
    let first: String
    let fast: ProbeProcessRunner
    let slow: ProbeProcessRunner

    func run(_ command: ProcessCommand, onLine: @escaping @Sendable (OutputStreamKind, String) async -> Void) async throws -> ProcessOutcome {
        try await (command.label == first ? fast : slow).run(command, onLine: onLine)
    }
}
