import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Slot accounting with make's jobserver: the recipe's own slot plus one token per further
/// build, every token given back whatever happens.
@Suite struct JobserverTests {
    /// A jobserver pipe holding `tokens`, as make hands it over.
    static func pipeWithTokens(_ tokens: Int) throws -> (read: Int32, write: Int32, makeflags: String) {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        for _ in 0..<tokens {
            var byte = UInt8(ascii: "+")
            _ = write(fds[1], &byte, 1)
        }
        return (fds[0], fds[1], "-j\(tokens + 1) --jobserver-auth=\(fds[0]),\(fds[1])")
    }

    /// Tokens in the pipe now (read without waiting, then put back).
    static func count(_ fds: (read: Int32, write: Int32, makeflags: String)) -> Int {
        let flags = fcntl(fds.read, F_GETFL)
        _ = fcntl(fds.read, F_SETFL, flags | O_NONBLOCK)
        var taken: [UInt8] = []
        var byte: UInt8 = 0
        while read(fds.read, &byte, 1) == 1 { taken.append(byte) }
        for var token in taken { _ = write(fds.write, &token, 1) }
        _ = fcntl(fds.read, F_SETFL, flags)
        return taken.count
    }

    /// Runs every local build with `tokens` in make's pipe; returns the outcomes, the most
    /// builds at once and the tokens in the pipe afterwards.
    static func run(tokens: Int, limit: Int, probe: ProbeProcessRunner) async throws -> (outcomes: [RunOutcome], peak: Int, left: Int) {
        let fds = try pipeWithTokens(tokens)
        defer {
            close(fds.read)
            close(fds.write)
        }
        let jobserver = try #require(Jobserver.fromMakeflags(fds.makeflags))
        let f = try OrchestrationFixture()
        let plans = try f.plans(["build-node-ova-local-all"])
        let outcomes = await BuildScheduler(runner: f.runner(probe), limit: limit, jobserver: jobserver).run(plans)
        return (outcomes, probe.peak, count(fds))
    }

    @Test("two tokens: three builds at once, and both tokens are back at the end")
    func tokensBoundTheRunAndAreReturned() async throws {
        let run = try await Self.run(tokens: 2, limit: 8, probe: ProbeProcessRunner(duration: .milliseconds(300), holdUntilPeak: 3))
        #expect(run.outcomes.allSatisfy { $0.result == .succeeded })
        #expect(run.peak == 3)
        #expect(run.left == 2)
    }

    @Test("failed builds give their tokens back too")
    func failuresReturnTokens() async throws {
        let run = try await Self.run(tokens: 1, limit: 4, probe: ProbeProcessRunner(duration: .milliseconds(50), holdUntilPeak: 2) { _ in 1 })
        #expect(run.outcomes.allSatisfy { $0.result == .failed })
        #expect(run.peak == 2)
        #expect(run.left == 1)
    }

    @Test("job slots: the implicit slot first, then tokens; a released slot is taken again")
    func slotsReuseTheImplicitSlot() async throws {
        let fds = try Self.pipeWithTokens(1)
        defer {
            close(fds.read)
            close(fds.write)
        }
        let slots = JobSlots(jobserver: Jobserver.fromMakeflags(fds.makeflags))
        let first = try await slots.acquire()
        let second = try await slots.acquire()
        #expect(Self.count(fds) == 0)
        await slots.release(first)
        let third = try await slots.acquire()
        guard case .implicit = first, case .token = second, case .implicit = third else {
            Issue.record("slots were \(first), \(second), \(third)")
            return
        }
        await slots.release(second)
        #expect(Self.count(fds) == 1)
    }

    @Test("a closed jobserver is an error, not a hang")
    func aClosedJobserverFails() async throws {
        let fds = try Self.pipeWithTokens(0)
        let jobserver = try #require(Jobserver.fromMakeflags(fds.makeflags))
        close(fds.write)
        await #expect(throws: RunError.jobserverClosed) { _ = try await jobserver.tryAcquire(milliseconds: 1000) }
        close(fds.read)
    }
}
