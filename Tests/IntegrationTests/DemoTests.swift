import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

/// `make demo` and `make demo-all` on a repository copy (issue 7): real make, packer, qemu-img and
/// simulator; IB_BIN so make never builds inside `swift test`.
@Suite(
    .serialized,
    .enabled(
        if: (SimulatorFixture.available && Fixtures.hasTool("packer") && Fixtures.hasTool("qemu-img")
            && Fixtures.hasTool("make") && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI,
        "needs go, govmomi's source, packer, qemu-img, make"))
struct DemoTests {
    static func make(_ root: String, _ target: String) async throws -> Captured {
        try await ProcessCapture.run(
            "make", ["--no-print-directory", "-C", root, target, "IB_BIN=\(Fixtures.binary)"],
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": root])
    }

    @Test(.timeLimit(.minutes(10)))
    func demoBuildsVerifiesDeploysAndPublishes() async throws {
        let root = try Fixtures.makeRepoCopy()
        try await SimulatorFixture.install(in: root)
        let demo = try await Self.make(root, "demo")
        #expect(demo.status == 0, "\(demo.stdout.suffix(3000))\(demo.stderr.suffix(2000))")

        let out = root + "/output/ubuntu-2404-kube-v1.36.1"
        let files = Set(FileReader.list(out) ?? [])
        for name in [
            "ubuntu-2404-kube-v1.36.1.ovf", "ubuntu-2404-kube-v1.36.1.mf", "ubuntu-2404-kube-v1.36.1.ova",
            "ubuntu-2404-kube-v1.36.1.ova.sha256", "packer-manifest.json",
        ] {
            #expect(files.contains(name), "\(name) in \(files)")
        }
        let verify = try await ProcessCapture.run(
            Fixtures.binary, ["ova", "verify", out + "/ubuntu-2404-kube-v1.36.1.ova"], environment: ["IB_ROOT": root])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(demo.stdout.contains("demo-node (vm-") && demo.stdout.contains("deployed from \(out)/ubuntu-2404-kube-v1.36.1.ova"))
        #expect(demo.stdout.contains("demo-node: published to library image-builder-demo"))
        #expect(demo.stdout.contains("demo-node-from-library (vm-"))
        #expect(demo.stdout.contains("what was real and what was simulated"))
        // The simulator is stopped at the end; its password never showed.
        #expect(!FileReader.exists(root + "/output/sim/run/endpoint.json"))
        let password =
            (Fixtures.read(root + "/output/sim/vsphere.json") ?? "")
            .split(separator: "\"").drop { $0 != "password" }.dropFirst(2).first.map(String.init) ?? "unset"
        #expect(password != "unset" && !(demo.stdout + demo.stderr).contains(password))
    }

    @Test(.timeLimit(.minutes(10)))
    func demoAllBuildsEveryOSWindowsTooThenBaseAndClone() async throws {
        let root = try Fixtures.makeRepoCopy(windows: true)
        try await SimulatorFixture.install(in: root)
        let all = try await Self.make(root, "demo-all")
        #expect(all.status == 0, "\(all.stdout.suffix(3000))\(all.stderr.suffix(2000))")
        let list = try await ProcessCapture.run(Fixtures.binary, ["list", "--json"], environment: ["IB_ROOT": root])
        let targets = (try JSONParser.parse(list.stdout).arrayValue ?? []).filter {
            $0["family"]?.stringValue == "vsphere" && $0["verb"]?.stringValue == "build" && $0["os"] != nil
        }
        .compactMap { $0["target"]?.stringValue }
        #expect(targets.count >= 13 && targets.contains("build-node-ova-vsphere-windows-2022-efi"))
        for target in targets {
            #expect(all.stdout.split(separator: "\n").contains { $0.hasPrefix("\(target) ") && $0.contains("succeeded") }, "\(target)")
        }
        #expect(all.stdout.contains("build-node-ova-vsphere-clone-ubuntu-2404  succeeded"))
        #expect(all.stdout.contains("base-ubuntu-2404\t") && all.stdout.contains("\ttemplate\t1 snapshot"))
        try await Self.checkTimeline(root: root, targets: targets, stdout: all.stdout)
    }

    /// The -all -j4 run's timeline (goal E8): a row per build in the report's order, spans in
    /// time order and proportional to their durations, results; rendered by librsvg without a
    /// warning into a picture that is not blank; `report` draws the same bytes from the JSON.
    static func checkTimeline(root: String, targets: [String], stdout: String) async throws {
        let logs = root + "/output/logs"
        let reports = (FileReader.list(logs) ?? []).filter { $0.hasPrefix("run-") && $0.hasSuffix(".json") }
        #expect(reports.count == 3, "one per build run: \(reports)")
        let parsed = reports.compactMap { name in (try? JSONParser.parse(Fixtures.read(logs + "/" + name) ?? "")).map { (name, $0) } }
        let (name, json) = try #require(parsed.max { ($0.1["builds"]?.arrayValue?.count ?? 0) < ($1.1["builds"]?.arrayValue?.count ?? 0) })
        let builds = json["builds"]?.arrayValue ?? []
        #expect(Set(builds.compactMap { $0["target"]?.stringValue }) == Set(targets))
        #expect(json["jobs"]?.numberValue == 4 && json["startedAt"]?.stringValue?.hasSuffix("Z") == true)
        let svgPath = logs + "/" + name.replacingOccurrences(of: ".json", with: ".svg")
        #expect(stdout.contains("timeline: output/logs/" + name.replacingOccurrences(of: ".json", with: ".svg")))
        let svg = try #require(Fixtures.read(svgPath))
        let picture = try TimelinePicture.parse(svg)
        #expect(picture.foreign.isEmpty)
        #expect(picture.rows.map(\.target) == builds.compactMap { $0["target"]?.stringValue })
        #expect(picture.rows.allSatisfy { $0.result == "succeeded" && $0.resultText.hasPrefix("succeeded, ") })
        for (row, build) in zip(picture.rows, builds) {
            let stages = build["stages"]?.arrayValue ?? []
            let drawn = stages.filter { ($0["end"]?.numberValue ?? 0) > ($0["start"]?.numberValue ?? 0) }
            #expect(row.spans.count == drawn.count && row.spans.count >= 3, "\(row.target)")
            #expect(row.spans.contains { $0.kind == "packer" } && row.spans.contains { $0.kind == "after" }, "\(row.target)")
            for (a, b) in zip(row.spans, row.spans.dropFirst()) { #expect(a.end <= b.start + 0.000_001 && a.x <= b.x) }
            for span in row.spans { #expect(abs(span.width - (span.end - span.start) * picture.pixelsPerSecond) < 0.02) }
        }
        #expect(picture.ticks.first == "0s" && picture.ticks.count >= 2)
        // A real renderer: no warning, and a picture with ink in it.
        let png = root + "/timeline.png"
        let render = try await ProcessCapture.run("rsvg-convert", ["-o", png, svgPath])
        #expect(render.status == 0 && render.stderr.isEmpty, "\(render.stderr)")
        let colours = try await ProcessCapture.run("python3", [Fixtures.repoRoot + "/Tests/Fixtures/png_colors.py", png])
        let stats = try JSONParser.parse(colours.stdout)
        #expect((stats["colours"]?.numberValue ?? 0) >= 6 && (stats["inked"]?.numberValue ?? 0) > 0.05, "\(colours.stdout)\(colours.stderr)")
        #expect(stats["width"]?.numberValue == picture.width.rounded())
        // Drawn again from the saved JSON: the same bytes.
        let again = root + "/again.svg"
        let report = try await ProcessCapture.run(Fixtures.binary, ["report", logs + "/" + name, "--svg", again], environment: ["IB_ROOT": root])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(Fixtures.read(again) == svg)
    }
}

/// Scale-out (goal M17): the build matrix as a GitHub Actions matrix and as Kubernetes Jobs.
@Suite(.enabled(if: FileReader.isExecutable(Fixtures.binary) && Fixtures.hasTool("python3"), "needs the CLI and python3"))
struct ScaleOutTests {
    @Test func bothFormatsParseAndCoverEveryTarget() async throws {
        let every = ["local", "local-vmx", "local-base", "vsphere", "vsphere-base", "vsphere-clone"].map { "build-node-ova-\($0)-all" }
        let env = ["IB_ROOT": Fixtures.repoRoot, "PATH": "/usr/bin:/bin"]
        let plan = try await ProcessCapture.run(Fixtures.binary, ["plan", "--json"] + every, environment: env)
        let expected = Set((try JSONParser.parse(plan.stdout)["plans"]?.arrayValue ?? []).compactMap { $0["target"]?.stringValue })
        #expect(expected.count >= 45)

        let matrix = try await ProcessCapture.run(Fixtures.binary, ["plan", "--format", "github-matrix"] + every, environment: env)
        #expect(matrix.status == 0, "\(matrix.stderr)")
        let include = try JSONParser.parse(matrix.stdout)["include"]?.arrayValue ?? []
        #expect(Set(include.compactMap { $0["target"]?.stringValue }) == expected && include.count == expected.count)

        let jobs = try await ProcessCapture.run(
            Fixtures.binary, ["plan", "--format", "k8s-jobs", "--image", "registry.example/ib:1"] + every, environment: env)
        #expect(jobs.status == 0, "\(jobs.stderr)")
        let file = try Fixtures.makeTemporaryDirectory("ib-jobs") + "/jobs.yaml"
        try Fixtures.write(jobs.stdout, to: file)
        let parsed = try await ProcessCapture.run(
            "python3",
            [
                "-c",
                """
                import json, sys, yaml
                docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
                out = []
                for d in docs:
                    c = d["spec"]["template"]["spec"]["containers"][0]
                    assert d["kind"] == "Job" and c["image"] == "registry.example/ib:1", d
                    assert d["spec"]["template"]["spec"]["volumes"][0]["secret"]["secretName"] == "image-builder-var-files"
                    out.append(c["command"][2])
                print(json.dumps(out))
                """, file,
            ])
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let targets = try JSONParser.parse(parsed.stdout).arrayValue?.compactMap(\.stringValue) ?? []
        #expect(Set(targets) == expected && targets.count == expected.count)
        #expect(
            try await ProcessCapture.run(Fixtures.binary, ["plan", "--format", "yaml", "build-node-ova-vsphere-all"], environment: env).status == 2)
    }
}
