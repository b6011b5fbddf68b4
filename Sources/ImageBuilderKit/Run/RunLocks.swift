public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPlanning
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The locks of one run, taken before anything else it does (exit 2 naming the holder when
/// another run has one): each target it builds, the VM name a vSphere build creates, and the
/// base a base build makes (released as soon as that build ends, so its clones may start).
/// Two runs never build the same target or VM at once; `clean` refuses a target being built.
package final class RunLocks: Sendable {
    private let held: Mutex<[String: FileLock]>
    /// Directories and lock files this run made (removed again when it refuses to start).
    private let created: [String]

    private init(_ locks: [String: FileLock], created: [String] = []) {
        held = Mutex(locks)
        self.created = created
    }

    /// `output/.locks/target-<target>.lock`.
    package static func targetPath(_ plan: BuildPlan, layout: RepoLayout) -> String {
        layout.outputDirectory + "/.locks/target-" + String(plan.workPrefix.dropLast()) + ".lock"
    }

    /// `output/.locks/vm-<name>.lock`: builds of two targets that name the same VM.
    package static func vmPath(_ vmName: String, layout: RepoLayout) -> String {
        layout.outputDirectory + "/.locks/vm-" + Paths.safeName(vmName) + ".lock"
    }

    /// What this process writes into the locks it holds.
    package static func holder(runID: String) -> String { "pid \(getpid()), run \(runID)" }

    /// Takes every lock of `plans` (build verb only), or none.
    package static func acquire(_ plans: [BuildPlan], layout: RepoLayout, runID: String) throws -> RunLocks {
        var locks: [String: FileLock] = [:]
        var created = [layout.outputDirectory, layout.outputDirectory + "/.locks"].filter { !FileReader.exists($0) }
        for plan in plans where plan.verb == .build {
            var paths = [targetPath(plan, layout: layout)]
            if plan.family.usesVSphere, let vm = plan.vmName { paths.append(vmPath(vm, layout: layout)) }
            if plan.family.isBase, let base = BaseGate.lockPath(plan, layout: layout) { paths.append(base) }
            for path in paths where locks[path] == nil {
                if !FileReader.exists(path) { created.append(path) }
                guard let lock = try FileLock.tryAcquire(path, exclusive: true, holder: holder(runID: runID)) else {
                    RunLocks(locks, created: created).discard()
                    throw RunError.targetBusy(target: plan.target, holder: FileLock.holder(path) ?? "a running image-builder")
                }
                locks[path] = lock
            }
        }
        return RunLocks(locks, created: created)
    }

    /// For `clean`: the target locks of `plans`, refusing targets being built.
    package static func forCleaning(_ plans: [BuildPlan], layout: RepoLayout) throws -> RunLocks {
        var locks: [String: FileLock] = [:]
        for plan in plans {
            let path = targetPath(plan, layout: layout)
            guard let lock = try FileLock.tryAcquire(path, exclusive: true, holder: holder(runID: "clean")) else {
                throw RunError.targetBusy(target: plan.target, holder: FileLock.holder(path) ?? "a running image-builder")
            }
            locks[path] = lock
        }
        return RunLocks(locks)
    }

    /// Whether this run holds `path`.
    package func holds(_ path: String) -> Bool { held.withLock { $0[path] != nil } }

    /// Lets one lock go (a base whose build ended).
    package func release(_ path: String) { _ = held.withLock { $0.removeValue(forKey: path) } }

    /// Lets every lock go.
    package func releaseAll() { held.withLock { $0.removeAll() } }

    /// Lets every lock go and removes what taking them made (the run refused to start:
    /// bad input leaves nothing behind). A lock file someone else opened meanwhile stays.
    package func discard() {
        releaseAll()
        for path in created.reversed() {
            if FileReader.isDirectory(path) {
                if FileReader.list(path)?.isEmpty == true { _ = try? FileWriter.remove(path) }
            } else if !FileLock.isHeldExclusively(path) {
                _ = try? FileWriter.remove(path)
            }
        }
    }
}
