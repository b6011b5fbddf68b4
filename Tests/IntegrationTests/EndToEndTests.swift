import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import Synchronization
import Testing
import VSphereKit

#if canImport(Glibc)
    import Glibc
#endif

/// The end-to-end suite on the simulator (issue 7): -all in parallel with one OS forced to fail,
/// and SIGINT to `make -j` while packers wait.
@Suite(
    .serialized,
    .enabled(
        if: (SimulatorFixture.available && Fixtures.hasTool("packer") && Fixtures.hasTool("qemu-img")
            && Fixtures.hasTool("make") && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI,
        "needs go, govmomi's source, packer, qemu-img, make"))
struct EndToEndTests {
    @Test(.timeLimit(.minutes(10)))
    func allInParallelKeepsGoingPastOneForcedFailure() async throws {
        let root = try Fixtures.makeRepoCopy()
        let simulator = try await SimulatorFixture.start(in: root)
        defer { Task { await simulator.stop() } }
        // photon-5 only: a datastore that does not exist.
        try Fixtures.write("{\"datastore\": \"NoSuchDatastore\"}", to: root + "/broken.json")
        let run = try await ProcessCapture.run(
            Fixtures.binary,
            [
                "build", "build-node-ova-vsphere-all", "-j", "4", "--var-file", "photon-5=broken.json", "--report", "report.json",
            ], environment: ["IB_ROOT": root, "PATH": "/usr/bin:/bin", "HOME": root, "PACKER_VAR_FILES": simulator.varFile], workingDirectory: root)
        #expect(run.status == 1, "\(run.stdout.suffix(2000))")
        let report = try JSONParser.parse(try #require(Fixtures.read(root + "/report.json")))
        let builds = report["builds"]?.arrayValue ?? []
        #expect(builds.count >= 9)
        for build in builds {
            let target = build["target"]?.stringValue ?? ""
            if target.hasSuffix("-photon-5") {
                #expect(build["result"]?.stringValue == "failed")
                #expect(Fixtures.read(build["logFile"]?.stringValue ?? "")?.contains("NoSuchDatastore") == true)
                continue
            }
            #expect(build["result"]?.stringValue == "succeeded", "\(target)")
            let artifact = try #require(build["artifact"]?.stringValue, "\(target)")
            let ova = try #require(FileReader.list(artifact)?.first { $0.hasSuffix(".ova") }, "\(target)")
            #expect(try OVAVerifier.verify(artifact + "/" + ova).checksumFile, "\(target)")
        }
        #expect(!FileReader.exists(root + "/output/photon-5-kube-v1.36.1/photon-5-kube-v1.36.1.ova"))
    }

    @Test(.timeLimit(.minutes(10)))
    func sigintToMakeLeavesNoProcessAndNoPartialOVA() async throws {
        let root = try Fixtures.makeRepoCopy()
        let simulator = try await SimulatorFixture.start(in: root)
        defer { Task { await simulator.stop() } }
        // packer keeps waiting for the guest: the line that would make the orchestrator power the
        // VM off is held back.
        let packer = root + "/waiting-packer"
        try Fixtures.write(
            """
            #!/bin/sh
            /usr/bin/packer "$@" 2>&1 | while IFS= read -r line; do
                case "$line" in *"Please shutdown virtual machine"*) echo "waiting $$" >> "\(root)/waiting" ;; *) printf '%s\\n' "$line" ;; esac
            done
            """, to: packer, mode: 0o755)
        let script =
            "exec setsid make --no-print-directory -C \"$1\" -j4 build-node-ova-vsphere-all IB_BIN=\"$2\" PACKER_BIN=\"$3\" PACKER_VAR_FILES=\"$4\""
        async let run = ProcessCapture.run(
            "/bin/sh", ["-c", script, "sh", root, Fixtures.binary, packer, simulator.varFile],
            environment: ["PATH": "/usr/bin:/bin", "HOME": root])
        var waiting = 0
        for _ in 0..<600 where waiting < 4 {
            try await Task.sleep(for: .milliseconds(50))
            waiting = (Fixtures.read(root + "/waiting") ?? "").split(separator: "\n").count
        }
        try #require(waiting >= 4, "four packers never reached the wait for the guest")
        // Ctrl-C: SIGINT to make's process group.
        let make = try #require(
            Fixtures.processes(mentioning: "make --no-print-directory -C \(root)").first.flatMap { Int32($0.split(separator: " ")[0]) })
        #expect(kill(-make, SIGINT) == 0)
        let result = try await run
        #expect(result.status != 0)
        // Only the simulator (the test's own, stopped below) may remain.
        let ours = { Fixtures.processes(mentioning: root).filter { !$0.contains("/output/sim/vcsim") } }
        for _ in 0..<100 where !ours().isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        #expect(ours().isEmpty, "\(ours())")
        #expect(Fixtures.processes(mentioning: "packer build").filter { $0.contains(root) }.isEmpty)
        let leftovers = (FileReader.list(root + "/output") ?? []).flatMap { dir in
            (FileReader.list(root + "/output/" + dir) ?? []).filter { $0.hasSuffix(".ova") || $0.hasSuffix(".partial") }
        }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }
}

extension EndToEndTests {
    /// Goal R3: a run with every kind of secret (SSH password, vCenter password, RHSM credentials)
    /// shows none of them — nor their base64 — in any output, log, artifact or process argument.
    @Test(.timeLimit(.minutes(10)))
    func noSecretInOutputLogsArtifactsOrArguments() async throws {
        let root = try Fixtures.makeRepoCopy()
        let simulator = try await SimulatorFixture.start(in: root)
        defer { Task { await simulator.stop() } }
        let secrets = [simulator.password, "ssh-Secret-7731", "rhsm-user-9911", "rhsm-Pass-4242"]
        let forms = secrets + secrets.map { Data($0.utf8).base64EncodedString() }
        let environment = [
            "PATH": "/usr/bin:/bin", "HOME": root, "IB_ROOT": root, "PACKER_VAR_FILES": simulator.varFile,
            "SSH_PASSWORD": secrets[1], "RHSM_USER": secrets[2], "RHSM_PASS": secrets[3],
        ]

        // Every process's arguments, sampled while the run goes on.
        let seen = ArgumentSamples()
        let sampler = Task {
            while !Task.isCancelled {
                for line in Fixtures.processes(mentioning: root) where forms.contains(where: line.contains) { seen.add(line) }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        var captured = ""
        for args in [
            ["make", "--no-print-directory", "-C", root, "-j4", "build-node-ova-vsphere-all", "IB_BIN=\(Fixtures.binary)"],
            [Fixtures.binary, "vsphere", "ls"], [Fixtures.binary, "explain", "node-ova-vsphere-rhel-9", "password"],
            [Fixtures.binary, "plan", "--json", "node-ova-vsphere-rhel-9"],
        ] {
            let run = try await ProcessCapture.run(args[0], Array(args.dropFirst()), environment: environment, workingDirectory: root)
            #expect(run.status == 0, "\(args): \(run.stderr.suffix(1500))")
            captured += run.stdout + run.stderr
        }
        sampler.cancel()
        #expect(seen.lines.isEmpty, "\(seen.lines)")

        // Logs, work directories and artifacts (the secret store itself aside).
        var scanned = 0
        func scan(_ directory: String) {
            for name in FileReader.list(directory) ?? [] {
                let path = directory + "/" + name
                if FileReader.isDirectory(path) {
                    scan(path)
                    continue
                }
                guard name != "ssh-secret", !path.hasSuffix(".vmdk"), !path.hasSuffix(".ova"), !path.contains("/sim/") else { continue }
                let text = Fixtures.read(path) ?? ""
                scanned += 1
                #expect(!forms.contains(where: text.contains), "\(path)")
            }
        }
        scan(root + "/output")
        #expect(scanned > 20)
        #expect(!forms.contains(where: captured.contains))
        #expect(captured.contains("<redacted>") || captured.contains("password"))
    }
}

/// Command lines seen by the sampler.
final class ArgumentSamples: Sendable {
    private let storage = Mutex<[String]>([])
    func add(_ line: String) { storage.withLock { $0.append(line) } }
    var lines: [String] { storage.withLock { $0 } }
}

extension EndToEndTests {
    /// Bad input through make with a vCenter running: make reports the CLI's exit code 2, the
    /// message names the file, no packer starts and no vCenter object is created.
    @Test(.timeLimit(.minutes(10)))
    func badInputThroughMakeCreatesNoVCenterObject() async throws {
        let root = try Fixtures.makeRepoCopy()
        let simulator = try await SimulatorFixture.start(in: root)
        defer { Task { await simulator.stop() } }
        let client = try ClientOperationTests_client(simulator)
        let before = try await client.objects(ofType: "VirtualMachine", ["name"]).count
        let record = root + "/packer-started"
        try Fixtures.write("#!/bin/sh\ntouch '\(record)'\nexec /usr/bin/packer \"$@\"\n", to: root + "/recording-packer", mode: 0o755)
        try Fixtures.write("{\"cpu\": \"4\",\n  \"memory\": }\n", to: root + "/broken.json")
        let cases: [(args: [String], message: String)] = [
            (
                ["build-node-ova-vsphere-ubuntu-2404", "PACKER_VAR_FILES=\(simulator.varFile) \(root)/broken.json"],
                "\(root)/broken.json:2:13: invalid JSON"
            ),
            (["build-node-ova-vsphere-clone-photon-5", "PACKER_VAR_FILES=\(simulator.varFile)"], "base template 'base-photon-5' not found"),
            (["build-node-ova-vsphere-ubuntu-2404", "PACKER_VAR_FILES=\(simulator.varFile)", "PACKER_FLAGS=-var password=x"], "password"),
        ]
        for (args, message) in cases {
            let run = try await ProcessCapture.run(
                "make", ["--no-print-directory", "-C", root] + args + ["IB_BIN=\(Fixtures.binary)", "PACKER_BIN=\(root)/recording-packer"],
                environment: ["PATH": "/usr/bin:/bin", "HOME": root])
            #expect(run.status == 2, "\(args)")
            #expect(run.stderr.contains("Error 2"), "make reports the CLI's exit code: \(run.stderr)")
            #expect(run.stderr.contains(message), "\(run.stderr)")
        }
        #expect(!FileReader.exists(record), "no packer was started")
        #expect(try await client.objects(ofType: "VirtualMachine", ["name"]).count == before)
        await client.logout()
    }
}
