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
