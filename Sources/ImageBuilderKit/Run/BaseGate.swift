public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPlanning

/// Bases and the builds made from them. A base build holds its base lock (taken with the run's
/// locks before anything else) until it ends, and writes its completion marker last; a build
/// from a base waits for the lock (another process may be building it), then requires the
/// marker: a half-built base is never used.
package enum BaseGate {
    /// The base's lock file, for builds with a base or of one.
    package static func lockPath(_ plan: BuildPlan, layout: RepoLayout) -> String? {
        plan.sshSecretFile.map { FileLock.basePath(layout: layout, baseOutputDirectory: Paths.dirname($0)) }
    }

    /// Before a run starts: every build from a base that is neither built in this run nor being
    /// built by another process needs its completed base (exit 2 naming the base target). A
    /// base run that make started beside this one takes its lock within moments of starting:
    /// `grace` allows for that before refusing.
    package static func checkBeforeRun(_ plans: [BuildPlan], layout: RepoLayout, grace: Duration = .seconds(5)) async throws {
        let building = Set(plans.filter { $0.verb == .build && $0.family.isBase }.compactMap { lockPath($0, layout: layout) })
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        for plan in plans where plan.verb == .build {
            guard case .requires(let marker, let baseTarget) = plan.baseCompletion, let lock = lockPath(plan, layout: layout),
                !building.contains(lock)
            else { continue }
            while !FileLock.isHeldExclusively(lock) && !FileReader.exists(marker) {
                guard clock.now < deadline else { throw RunError.baseIncomplete(target: plan.target, baseTarget: baseTarget) }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Whether another process is building this plan's base now (its checks wait for it).
    package static func isBeingBuiltElsewhere(_ plan: BuildPlan, layout: RepoLayout, locks: RunLocks?) -> Bool {
        guard let lock = lockPath(plan, layout: layout) else { return false }
        return !(locks?.holds(lock) ?? false) && FileLock.isHeldExclusively(lock)
    }

    /// Before a build's packer: a base build drops its old marker (a rebuild is not complete
    /// until it ends); a build from a base waits for the base's lock, then requires its marker.
    /// Returns the lock to hold while packer runs (nil when the run's locks hold it).
    package static func enter(_ plan: BuildPlan, layout: RepoLayout, locks: RunLocks?, observe: @escaping BuildObserver) async throws -> FileLock? {
        guard plan.verb == .build, let path = lockPath(plan, layout: layout) else { return nil }
        var lock: FileLock?
        if !(locks?.holds(path) ?? false) {
            lock = try await FileLock.acquire(path, exclusive: plan.family.isBase) {
                observe(.waiting(target: plan.target, reason: "its base is being built (\(Paths.basename(path)))"))
            }
        }
        switch plan.baseCompletion {
        case .writes(let marker)?: _ = try FileWriter.remove(marker)
        case .requires(let marker, let baseTarget)? where !FileReader.exists(marker):
            throw RunError.baseIncomplete(target: plan.target, baseTarget: baseTarget)
        default: break
        }
        return lock
    }

    /// After a build: a base that completed writes its marker; the run's lock on it is let go.
    package static func leave(_ plan: BuildPlan, layout: RepoLayout, locks: RunLocks?, runID: String, succeeded: Bool) {
        guard plan.verb == .build, let path = lockPath(plan, layout: layout) else { return }
        if succeeded, case .writes(let marker)? = plan.baseCompletion {
            let body = "{\"target\": \"\(plan.target)\", \"run\": \"\(runID)\", \"vm\": \"\(plan.vmName ?? "")\"}\n"
            try? FileWriter.write(body, to: marker, mode: 0o644)
        }
        if plan.family.isBase { locks?.release(path) }
    }
}
