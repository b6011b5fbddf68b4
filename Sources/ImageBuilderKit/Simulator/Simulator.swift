public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The embedded vCenter simulator (`hack/vcsim`, govmomi's simulator from Debian's packages):
/// built on demand with Debian's Go, run in the background on 127.0.0.1, described for builds
/// by `output/sim/vsphere.json` (0600; `ib_profile: simulator`).
package struct Simulator: Sendable {
    package let layout: RepoLayout
    package let environment: RunEnvironment
    /// Runs `go build` and the detached launch.
    package let processes: any ProcessRunning

    package init(layout: RepoLayout, environment: RunEnvironment, processes: any ProcessRunning = SubprocessRunner.helper) {
        self.layout = layout
        self.environment = environment
        self.processes = processes
    }

    package var stateDirectory: String { layout.outputDirectory + "/sim" }
    package var binary: String { stateDirectory + "/vcsim" }
    package var runDirectory: String { stateDirectory + "/run" }
    package var varFile: String { stateDirectory + "/vsphere.json" }
    package var logFile: String { stateDirectory + "/vcsim.log" }
    static let govmomi = "/usr/share/gocode/src/github.com/vmware/govmomi"

    /// What `endpoint.json` says about a running simulator.
    package struct Endpoint: Sendable, Equatable {
        package let host: String
        package let username: String
        package let password: Secret
        package let caFile: String
        package let pid: Int32
    }

    /// The running simulator, if there is one.
    package func running() -> Endpoint? {
        guard case .contents(let bytes, _) = FileReader.read(runDirectory + "/endpoint.json"),
            let json = try? JSONParser.parse(bytes),
            let host = json["host"]?.stringValue, let user = json["username"]?.stringValue,
            let password = json["password"]?.stringValue, let ca = json["ca_file"]?.stringValue,
            case .number(let pidText)? = json["pid"], let pid = Int32(pidText), kill(pid, 0) == 0
        else { return nil }
        return Endpoint(host: host, username: user, password: Secret(password), caFile: ca, pid: pid)
    }

    /// Builds `output/sim/vcsim` when it is missing or older than its source.
    package func build() async throws {
        let source = layout.root + "/hack/vcsim/main.go"
        if FileReader.isExecutable(binary), modified(binary) >= modified(source) { return }
        guard FileReader.isDirectory(Simulator.govmomi) else {
            throw SimulatorError.notInstalled("govmomi's source is not installed (\(Simulator.govmomi))")
        }
        try FileWriter.makeDirectory(stateDirectory, mode: 0o700)
        let cache = environment["IB_GOCACHE"] ?? stateDirectory + "/gocache"
        let lines = LineCollector()
        let outcome = try await processes.run(
            ProcessCommand(
                executable: "/usr/bin/env",
                arguments: ["go", "build", "-o", binary, "./hack/vcsim"],
                environment: [
                    "PATH": "/usr/local/bin:/usr/bin:/bin", "GOPATH": "/usr/share/gocode", "GO111MODULE": "off",
                    "GOCACHE": cache, "HOME": stateDirectory, "GOFLAGS": "-mod=mod",
                ],
                workingDirectory: layout.root)
        ) { _, line in lines.append(line) }
        if outcome == .exited(127) { throw SimulatorError.notInstalled("Go is not installed") }
        guard outcome.succeeded else { throw SimulatorError.failed("go build failed: \(lines.text)") }
    }

    /// Starts it in the background (its own session, output to vcsim.log) unless it runs, and
    /// writes the var file builds use.
    package func start() async throws -> Endpoint {
        if let endpoint = running() { return endpoint }
        try await build()
        _ = try? FileWriter.remove(runDirectory + "/endpoint.json")
        try FileWriter.makeDirectory(runDirectory, mode: 0o700)
        // setsid -f: detached from this process, so it outlives `image-builder sim start`.
        let launch = try await processes.run(
            ProcessCommand(
                executable: "/bin/sh",
                arguments: ["-c", "exec /usr/bin/setsid -f \"$0\" -dir \"$1\" > \"$2\" 2>&1 < /dev/null", binary, runDirectory, logFile],
                environment: ["PATH": "/usr/bin:/bin"], workingDirectory: stateDirectory)
        ) { _, _ in }
        guard launch.succeeded else { throw SimulatorError.failed("cannot start \(binary)") }
        for _ in 0..<300 {
            if let endpoint = running() {
                try writeVarFile(endpoint)
                return endpoint
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw SimulatorError.failed("it did not come up within 30 s (see \(layout.display(logFile)))")
    }

    /// Stops it; false if none was running.
    package func stop() async throws -> Bool {
        guard let endpoint = running() else { return false }
        kill(endpoint.pid, SIGTERM)
        for _ in 0..<100 where kill(endpoint.pid, 0) == 0 { try await Task.sleep(for: .milliseconds(50)) }
        if kill(endpoint.pid, 0) == 0 { kill(endpoint.pid, SIGKILL) }
        _ = try? FileWriter.remove(runDirectory + "/endpoint.json")
        return true
    }

    /// Shell lines that point a plain `make build-…` at the simulator.
    package func environmentLines() -> String {
        "export PACKER_VAR_FILES=\(ShellWords.quote(varFile))\n"
    }

    private func writeVarFile(_ endpoint: Endpoint) throws {
        let entries: [(String, String)] = [
            ("vcenter_server", endpoint.host), ("username", endpoint.username), ("password", endpoint.password.value),
            ("insecure_connection", "false"), ("datacenter", "DC0"), ("cluster", "DC0_C0"), ("host", ""),
            ("datastore", "LocalDS_0"), ("network", "VM Network"), ("folder", ""),
            ("ib_profile", "simulator"), ("ib_ca_file", endpoint.caFile),
        ]
        let body = entries.map { "  " + VarValue.string($0.0).display + ": " + VarValue.string($0.1).display }.joined(separator: ",\n")
        try FileWriter.write("{\n" + body + "\n}\n", to: varFile, mode: 0o600)
    }

    private func modified(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_mtim.tv_sec) : 0
    }
}
