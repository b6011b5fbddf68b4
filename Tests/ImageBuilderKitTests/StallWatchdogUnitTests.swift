import ImageBuilderKit
import Synchronization
import Testing

/// The watchdog's rule: a waiting stage without output past its limit is a stall, unless the
/// work packer does not print (the VM's disk growing) moved on meanwhile.
@Suite struct StallWatchdogUnitTests {
    static let policy = StallPolicy(limits: [.ip: 300, .ssh: 300, .winrm: 300, .shutdown: 300])

    @Test func aQuietWaitingStageIsAStallAndOutputIsProgress() async throws {
        let watchdog = StallWatchdog(policy: Self.policy)
        watchdog.observe("2026-12-06T10:00:00Z: ==> vsphere: Waiting for IP...")
        let clock = ContinuousClock()
        let start = clock.now
        let stall = await watchdog.watch(tick: .milliseconds(20))
        #expect(stall?.waiting == .ip && stall?.stage == "Waiting for IP...")
        #expect(clock.now - start >= .milliseconds(300))
        // A stage that is not a wait is never a stall.
        let busy = StallWatchdog(policy: Self.policy)
        busy.observe("==> vsphere: Provisioning with Ansible...")
        let none = Task { await busy.watch(tick: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(700))
        none.cancel()
        #expect(await none.value == nil)
    }

    @Test func aGrowingDiskKeepsTheWaitAliveUntilItStops() async throws {
        let watchdog = StallWatchdog(policy: Self.policy)
        watchdog.observe("    vsphere: Please shutdown virtual machine within 10m0s.")
        let calls = Atomic<Int>(0)
        let clock = ContinuousClock()
        let start = clock.now
        // The disk grows for the first five samples, then stays.
        let stall = await watchdog.watch(tick: .milliseconds(20)) {
            let n = calls.add(1, ordering: .relaxed).newValue
            return String(min(n, 5))
        }
        #expect(stall?.waiting == .shutdown)
        #expect(calls.load(ordering: .relaxed) >= 6)
        #expect(clock.now - start >= .milliseconds(4 * 300), "each growth restarted the wait")
    }
}
