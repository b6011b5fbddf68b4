public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning

/// Runs many builds at once: a task group with a window of `limit` on the builders' Dispatch
/// executor (house-style §5.4). A failing build does not stop the others unless `failFast`;
/// with make's jobserver, every build beyond the first running one holds a token.
package struct BuildScheduler: Sendable {
    package let runner: BuildRunner
    package let limit: Int
    package let failFast: Bool
    package let jobserver: Jobserver?

    package init(runner: BuildRunner, limit: Int, failFast: Bool = false, jobserver: Jobserver? = nil) {
        self.runner = runner
        self.limit = max(1, limit)
        self.failFast = failFast
        self.jobserver = jobserver
    }

    /// Bases first (stable otherwise), so a build from a base in the same run never holds a
    /// slot its base needs.
    package static func order(_ plans: [BuildPlan]) -> [BuildPlan] {
        plans.filter { $0.family.isBase } + plans.filter { !$0.family.isBase }
    }

    /// Runs every plan; outcomes come back in the order of `plans`.
    package func run(_ plans: [BuildPlan]) async -> [RunOutcome] {
        let executor = DispatchTaskExecutor(label: "image-builder.builds")
        let ordered = BuildScheduler.order(plans)
        var outcomes: [String: RunOutcome] = [:]
        let runner = self.runner
        let slots = JobSlots(jobserver: jobserver)
        await withTaskGroup(of: RunOutcome.self) { group in
            var pending = ordered[...]
            var stopped = false
            func startNext() {
                guard !stopped, let plan = pending.popFirst() else { return }
                group.addTask(executorPreference: executor) {
                    runner.observe(.scheduled(target: plan.target))
                    let outcome = await runner.run(plan, slots: slots)
                    runner.observe(.finished(outcome))
                    return outcome
                }
            }
            for _ in 0..<min(limit, ordered.count) { startNext() }
            for await outcome in group {
                outcomes[outcome.target] = outcome
                if failFast && outcome.result == .failed && !stopped {
                    stopped = true
                    group.cancelAll()
                }
                startNext()
            }
        }
        jobserver?.releaseAll()
        return plans.map { plan in
            outcomes[plan.target]
                ?? RunOutcome(
                    target: plan.target, result: .notStarted,
                    message: failFast ? "not started: an earlier build failed (--fail-fast)" : "not started")
        }
    }
}
