public import ImageBuilderBasics

extension BuildRunner {
    private enum PackerEvent: Sendable {
        case exited(ProcessOutcome)
        case stalled(StallWatchdog.Stall)
    }

    /// Runs packer with the stall watchdog beside it: on a stall, `diagnose` runs while the VM
    /// is still as the stall left it, then packer is stopped through the same path as a
    /// cancellation (SIGTERM, its own clean-up, the group killed after the grace). The other
    /// builds of the run are not touched.
    func runWatched(
        _ command: ProcessCommand, watchdog: StallWatchdog?, progress: (@Sendable () async -> String?)? = nil,
        onLine: @escaping @Sendable (String) async -> Void, diagnose: @escaping @Sendable (StallWatchdog.Stall) async -> StallDiagnosis
    ) async throws -> (ProcessOutcome, StallDiagnosis?) {
        let runner = self.runner
        guard let watchdog else { return (try await runner.run(command) { _, line in await onLine(line) }, nil) }
        var diagnosis: StallDiagnosis?
        let status: ProcessOutcome = try await withThrowingTaskGroup(of: PackerEvent.self) { group in
            group.addTask { .exited(try await runner.run(command) { _, line in await onLine(line) }) }
            group.addTask {
                guard let stall = await watchdog.watch(progress: progress) else { throw CancellationError() }
                return .stalled(stall)
            }
            while let event = try await group.next() {
                switch event {
                case .exited(let status):
                    group.cancelAll()
                    return status
                case .stalled(let stall):
                    diagnosis = await diagnose(stall)
                    group.cancelAll()
                }
            }
            throw CancellationError()
        }
        return (status, diagnosis)
    }
}

extension BuildRunner {
    /// The bytes of the regular files directly in `folder` (a local VM's disks grow there while
    /// its installer works); nil when there is none.
    static func folderSize(_ folder: String) -> Int64? {
        guard let names = FileReader.list(folder) else { return nil }
        return names.reduce(Int64(0)) { $0 + (FileReader.size(folder + "/" + $1) ?? 0) }
    }
}
