import ImageBuilderKit
import ImageBuilderTestSupport
import Synchronization

/// A repository copy, its planner for one run id, and a runner over fakes: nothing is started.
struct OrchestrationFixture {
    let root: String
    let work: String
    let environment: RunEnvironment
    let planner: Planner

    init(variables: [String: String] = [:], runID: String = "20261201T000000-4242") throws {
        root = try Fixtures.makeRepoCopy()
        work = try Fixtures.makeTemporaryDirectory("ib-orchestration")
        var env = ["IB_ROOT": root, "PATH": "/usr/bin:/bin", "HOME": work]
        env.merge(variables) { _, given in given }
        environment = RunEnvironment(variables: env, workingDirectory: work)
        planner = try Planner(environment: environment, runID: runID)
    }

    /// Build plans for target names.
    func plans(_ names: [String]) throws -> [BuildPlan] {
        try planner.plans(try planner.targets(names, commandVerb: .build))
    }

    /// A runner whose packer is `processes`; helpers are fakes; vCenter is not contacted.
    func runner(_ processes: any ProcessRunning, events: EventLog = EventLog()) -> BuildRunner {
        BuildRunner(
            runner: processes, helpers: FakeHelperRunner(), environment: environment, layout: planner.layout,
            runID: planner.runID, observe: events.observe, contactsVCenter: false)
    }
}

/// Collects a run's events.
final class EventLog: Sendable {
    private let events = Mutex<[BuildEvent]>([])
    var all: [BuildEvent] { events.withLock { $0 } }
    var observe: BuildObserver { { event in self.append(event) } }
    func append(_ event: BuildEvent) { events.withLock { $0.append(event) } }
}
