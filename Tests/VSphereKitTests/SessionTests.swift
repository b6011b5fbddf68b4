import ImageBuilderTestSupport
import Testing
import VSphereKit

/// Sessions, TLS and connection faults against a simulator the test starts (issue 5, acceptance 4).
@Suite(.enabled(if: SimulatorFixture.available, "needs go and govmomi's source (make deps-ova)"))
struct SessionTests {
    @Test(.timeLimit(.minutes(10)))
    func oneLoginForConcurrentCallsAndOneRenewalAfterExpiry() async throws {
        let simulator = try await SimulatorFixture.start()
        defer { Task { await simulator.stop() } }
        let client = try ClientOperationTests.client(simulator, agent: "ib-session-test/1")

        // Eight concurrent calls on a fresh client share one login.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask { _ = try await client.findVM("DC0_C0_RP0_VM\(index % 2)") }
            }
            try await group.waitForAll()
        }
        let observer = try ClientOperationTests.client(simulator, agent: "ib-observer")
        var ours = try await observer.loginEvents().filter { $0.userAgent == "ib-session-test/1" }
        #expect(ours.count == 1)

        // Its session ends elsewhere; the next call logs in once more and succeeds.
        let key = try await client.sessionKey()
        try await observer.terminateSession(key)
        #expect(try await client.findVM("DC0_C0_RP0_VM0") != nil)
        #expect(try await client.sessionKey() != key)
        ours = try await observer.loginEvents().filter { $0.userAgent == "ib-session-test/1" }
        #expect(ours.count == 2)
        // Logout ends the session on vCenter: it is no longer there to terminate.
        let last = try await client.sessionKey()
        await client.logout()
        let gone = await #expect(throws: VSphereError.self) { try await observer.terminateSession(last) }
        #expect(gone?.faultType == "NotFound")
        await observer.logout()
    }

    @Test(.timeLimit(.minutes(10)))
    func badPasswordTLSAndAStoppedVCenterAreTypedErrors() async throws {
        let simulator = try await SimulatorFixture.start()
        defer { Task { await simulator.stop() } }

        let wrong = VSphereClient(
            host: simulator.host, username: simulator.username, password: "wrong",
            transport: try AHCTransport(host: simulator.host, trust: .caFile(simulator.caFile)))
        let login = await #expect(throws: VSphereError.self) { try await wrong.login() }
        #expect(login?.faultType == "InvalidLogin")
        #expect(login.map { "\($0)" }?.contains("wrong") == false)
        await wrong.logout()

        // Without the CA the handshake fails and says so; insecure connects.
        let untrusted = VSphereClient(
            host: simulator.host, username: simulator.username, password: simulator.password,
            transport: try AHCTransport(host: simulator.host, trust: .system))
        let tls = await #expect(throws: VSphereError.self) { try await untrusted.login() }
        guard case .tls(let host, let reason)? = tls else {
            Issue.record("not a TLS error: \(String(describing: tls))")
            return
        }
        #expect(host == simulator.host && reason == "certificate not trusted")
        await untrusted.logout()
        let insecure = VSphereClient(
            host: simulator.host, username: simulator.username, password: simulator.password,
            transport: try AHCTransport(host: simulator.host, trust: .insecure))
        try await insecure.login()
        await insecure.logout()
        #expect(throws: VSphereError.self) { try AHCTransport(host: "x", trust: .caFile(simulator.varFile)) }

        // The simulator stops mid-run: the next call names the host it could not reach.
        let client = try ClientOperationTests.client(simulator)
        let vm = try await client.requireVM("DC0_C0_RP0_VM0")
        await simulator.stop()
        let gone = await #expect(throws: VSphereError.self) { try await client.powerOff(vm) }
        guard case .unreachable(let goneHost, _)? = gone else {
            Issue.record("not unreachable: \(String(describing: gone))")
            return
        }
        #expect(goneHost == simulator.host)
        #expect("\(gone!)".contains(simulator.host))
        await client.logout()
    }
}
