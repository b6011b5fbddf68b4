public import ImageBuilderBasics

/// SSH to the guest over its loopback forward, with the test's own key and no host-key memory.
struct BootTestSSH: Sendable {
    let tools: BootTestTools
    let key: String
    let user: String
    let port: Int

    func run(_ command: String) async throws -> (ProcessOutcome, [String]) {
        try await tools.run(
            "ssh",
            [
                "-F", "/dev/null", "-i", key, "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10", "-p", String(port),
                user + "@127.0.0.1", command,
            ])
    }

    /// Tries to log in every 2 s until `deadline`; fails early if qemu ends.
    func waitForLogin(
        until deadline: ContinuousClock.Instant, limit: Duration, guest: BootTestGuest, console: () -> [String]
    ) async throws {
        while ContinuousClock.now < deadline {
            if guest.isDone { throw BootTestError.guestStopped(console: console()) }
            if let (outcome, _) = try? await run("true"), outcome.succeeded { return }
            try await Task.sleep(for: .seconds(2))
        }
        throw BootTestError.noSSH(seconds: Int(limit.components.seconds), console: console())
    }
}
