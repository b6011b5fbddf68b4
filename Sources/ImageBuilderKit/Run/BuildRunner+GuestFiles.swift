import ImageBuilderBasics
import ImageBuilderPlanning

extension BuildRunner {
    /// The loopback server of a qemu build's guest files, and the guestfwd that relays the
    /// guest's http://10.0.2.100/ to it (one hack/loopback-relay.py per connection the guest
    /// opens; the guest reaches nothing else).
    struct ServedGuestFiles {
        let server: GuestFileServer
        let forward: String
    }

    /// Starts serving `plan.guestFiles` for a build (nil for other plans); `log` gets a line per
    /// request.
    func serveGuestFiles(_ plan: BuildPlan, log: @escaping @Sendable (String) -> Void) async throws -> ServedGuestFiles? {
        guard plan.verb == .build, let folder = plan.guestFiles else { return nil }
        let server: GuestFileServer
        do { server = try await GuestFileServer.start(serving: folder, log: log) } catch {
            throw FileError.cannotPrepare(path: folder, reason: "cannot serve it on 127.0.0.1: \(error)")
        }
        log("serving \(folder) on 127.0.0.1:\(server.port), the guest's http://10.0.2.100/")
        let relay = layout.root + "/hack/loopback-relay.py"
        return ServedGuestFiles(server: server, forward: ",guestfwd=tcp:10.0.2.100:80-cmd:python3 \(relay) \(server.port)")
    }
}

extension ProcessCommand {
    /// The same packer command with `flags` before its last argument (the template).
    func adding(_ flags: [String]) -> ProcessCommand {
        ProcessCommand(
            executable: executable, arguments: arguments.dropLast() + flags + arguments.suffix(1), environment: environment,
            workingDirectory: workingDirectory, label: label, standardInput: standardInput)
    }
}
