import ImageBuilderKit
import ImageBuilderTestSupport
import Testing

@testable import ImageBuilderCLI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `plan --json` plans targets and encodes plans on every core: the text must be the one the
/// plain encoder gives, the same on every run, and errors of several targets all reported in
/// the targets' order.
@Suite struct PlanDocumentTests {
    static let everyFamily = ["local", "local-vmx", "local-base", "vsphere", "vsphere-base", "vsphere-clone"].map {
        "build-node-ova-\($0)-all"
    }

    func planner(_ root: String, _ env: [String: String] = [:]) throws -> Planner {
        var variables = ["IB_ROOT": root, "PACKER_BIN": "/bin/true", "PATH": "/usr/bin:/bin"]
        variables.merge(env) { $1 }
        return try Planner(environment: RunEnvironment(variables: variables, workingDirectory: root))
    }

    @Test func theParallelDocumentIsTheEncodersTextAndTheSameEveryRun() throws {
        let root = try Fixtures.makeRepoCopy()
        let planner = try planner(root)
        let plans = try planner.plans(try planner.targets(Self.everyFamily, commandVerb: nil))
        #expect(plans.count > 50)
        let document = PlanDocument(root: root, plans: plans)
        let parallel = try document.json()
        #expect(parallel == (try JSONText.encode(document)))
        // The CLI's encoder writes Foundation's text, byte for byte.
        let foundation = JSONEncoder()
        foundation.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        #expect(parallel == String(decoding: try foundation.encode(document), as: UTF8.self) + "\n")
        let again = try planner.plans(try planner.targets(Self.everyFamily, commandVerb: nil))
        #expect(try PlanDocument(root: root, plans: again).json() == parallel)
        #expect(again.map(\.target) == plans.map(\.target))
        // Local builds of one run keep distinct VNC ranges, in the targets' order.
        let local = plans.filter { $0.family == .local || $0.family == .localBase }
        let vnc = local.compactMap { plan in plan.packer.arguments.first { $0.hasPrefix("vnc_port_min=") } }
        #expect(vnc.count == local.count && vnc.count > 10)
        #expect(vnc == local.indices.map { "vnc_port_min=\(5900 + 20 * $0)" })
    }

    @Test func everyFailingTargetIsReportedInTheTargetsOrder() throws {
        let root = try Fixtures.makeRepoCopy()
        try Fixtures.write("{\"firmware\": \"uefi\"}", to: root + "/bad.json")
        let planner = try planner(root, ["PACKER_VAR_FILES": "bad.json"])
        let targets = try planner.targets(["build-node-ova-local-ubuntu-2404", "build-node-ova-local-flatcar"], commandVerb: nil)
        do {
            _ = try planner.plans(targets)
            Issue.record("a bad firmware planned")
        } catch {
            #expect(error.errors.count == 2)
            #expect(error.errors.allSatisfy { "\($0)".contains("bad.json") && "\($0)".contains("firmware") })
        }
    }
}
