import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import Testing

/// `plan --json` lists the steps after packer; a real build (packer 1.6.6 on the simulator,
/// through the CLI) performs exactly that list, as its `--report` records.
@Suite(
    .enabled(
        if: (SimulatorFixture.available && Fixtures.hasTool("packer") && Fixtures.hasTool("qemu-img")
            && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI,
        "needs go, govmomi's source, packer, qemu-img"))
struct AfterPackerTests {
    struct PlanJSON: Decodable {
        struct Plan: Decodable {
            let target: String
            let afterPacker: [String]
        }
        let plans: [Plan]
    }

    struct ReportJSON: Decodable {
        struct Build: Decodable {
            let target: String
            let result: String
            let stepsPerformed: [String]
        }
        let builds: [Build]
    }

    @Test(.timeLimit(.minutes(10)))
    func theReportedStepsAreThePlannedOnes() async throws {
        let root = try Fixtures.makeRepoCopy()
        let simulator = try await SimulatorFixture.start(in: root)
        defer { Task { await simulator.stop() } }
        try Fixtures.write("{\"convert_to_template\": \"true\", \"destroy\": \"true\"}", to: root + "/steps.json", mode: 0o600)
        let env = ["PATH": "/usr/bin:/bin", "HOME": root, "IB_ROOT": root, "PACKER_VAR_FILES": simulator.varFile + " " + root + "/steps.json"]
        let targets = ["build-node-ova-vsphere-ubuntu-2404", "build-node-ova-vsphere-base-ubuntu-2204"]
        let plan = try await ProcessCapture.run(Fixtures.binary, ["plan", "--json"] + targets, environment: env, workingDirectory: root)
        #expect(plan.status == 0, "\(plan.stderr)")
        let planned = try JSONDecoder().decode(PlanJSON.self, from: Data(plan.stdout.utf8)).plans
        #expect(
            planned.map(\.afterPacker) == [
                ["remove-install-media", "convert-to-template", "upload-stand-in-disk", "export-ova", "destroy-vm"],
                ["remove-install-media", "convert-to-template"],
            ])

        let build = try await ProcessCapture.run(
            Fixtures.binary, ["build", "--report", root + "/report.json"] + targets, environment: env, workingDirectory: root)
        #expect(build.status == 0, "\(build.stdout.suffix(3000))\(build.stderr.suffix(1000))")
        let report = try JSONDecoder().decode(ReportJSON.self, from: Data((Fixtures.read(root + "/report.json") ?? "").utf8))
        for plan in planned {
            let built = try #require(report.builds.first { $0.target == plan.target })
            #expect(built.result == "succeeded")
            #expect(built.stepsPerformed == plan.afterPacker, "\(plan.target)")
        }
        // The simulator profile's OVF describes its stand-in disk: the capacity is the VMDK's.
        let ova = root + "/output/ubuntu-2404-kube-v1.36.1/ubuntu-2404-kube-v1.36.1.ova"
        let index = try TarIndex(path: ova)
        let ovfMember = try #require(index.members.first { $0.name.hasSuffix(".ovf") })
        let diskMember = try #require(index.members.first { $0.name.hasSuffix(".vmdk") })
        let bytes = try Data(contentsOf: URL(fileURLWithPath: ova))
        let summary = try OVFSummary.parse([UInt8](bytes[Int(ovfMember.offset)..<Int(ovfMember.offset + ovfMember.size)]))
        let header = [UInt8](bytes[Int(diskMember.offset)..<Int(diskMember.offset) + 512])
        #expect(summary.disks.first?.capacityBytes == VMDKHeader.capacityBytes(header))
        #expect(summary.disks.first?.capacityBytes ?? 0 > 0)
        // The base template left on vCenter has no CD-ROM holding install media (what
        // `onevcenter import` and linked clones see), as the client reads it.
        let ls = try await ProcessCapture.run(
            Fixtures.binary, ["vsphere", "ls", "base-", "--var-file", simulator.varFile], environment: env, workingDirectory: root)
        #expect(ls.status == 0 && ls.stdout.contains("\ttemplate\t"), "\(ls.stdout)\(ls.stderr)")
        #expect(ls.stdout.split(separator: "\n").allSatisfy { $0.hasSuffix("cdrom: none") || $0.hasSuffix("cdrom: empty") }, "\(ls.stdout)")
    }
}
