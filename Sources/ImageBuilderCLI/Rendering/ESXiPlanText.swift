import ImageBuilderKit

/// The human form of `plan maas-esxi`.
enum ESXiPlanText {
    static func render(_ plan: ESXiPlan, layout: RepoLayout) -> String {
        var lines = [plan.target]
        func field(_ name: String, _ value: String) { lines.append("  " + (name + ":").padding(17) + value) }
        field("builder", "qemu (packer's qemu builder; q35, SATA disk, vmxnet3, serial console, no communicator)")
        field("accelerator", "\(plan.accelerator.kind.rawValue): \(plan.accelerator.reason)")
        field("release", "\(plan.release) (from \(plan.releaseSource)); MAAS name \(plan.maasName)")
        field("ISO", "\(plan.iso) (\(plan.isoChecksum.prefix(while: { $0 != ":" })) checked by packer)")
        field("kickstart", layout.display(plan.kickstartTemplate) + " → KS.CFG on " + layout.display(plan.kickstartImage) + " (USB)")
        field("template", layout.display(plan.packer.template))
        field("work dir", layout.display(plan.workDirectory) + "/")
        if plan.verb == .build {
            lines.append("  after packer:")
            lines.append("    1. curtin/curtin-hooks (\(layout.display(plan.curtinDirectory))/) and curtin/scripts.tar.xz")
            lines.append("       (\(layout.display(plan.firstBootDirectory))/ as maas/) onto partition 1 with mtools, rootless")
            lines.append("    2. \(layout.display(plan.image)) and \(Paths.basename(plan.checksumFile)) in one streaming pass")
            field("log", layout.display(plan.logFile))
        }
        field("environment", plan.packer.environmentNames.joined(separator: " ") + "  (values not shown)")
        if !plan.varFiles.isEmpty { field("var files", plan.varFiles.map(layout.display).joined(separator: " ")) }
        lines.append("  argv:")
        lines += plan.packer.arguments.map { "    " + $0 }
        lines += plan.warnings.map { "  warning: " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }
}
