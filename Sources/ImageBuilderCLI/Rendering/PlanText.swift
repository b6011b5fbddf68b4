import ImageBuilderKit

/// The human form of `plan`.
enum PlanText {
    static func render(_ plan: BuildPlan, layout: RepoLayout) -> String {
        var lines = [plan.target]
        func field(_ name: String, _ value: String) { lines.append("  " + (name + ":").padding(17) + value) }
        field("builder", "\(plan.builder) (\(plan.builderType))")
        field("post-processors", plan.postProcessors.isEmpty ? "none" : plan.postProcessors.joined(separator: ", "))
        let steps: [String] = plan.afterPacker.map { step in "\(step.summary) [\(step.performer)]" }
        field("after packer", steps.isEmpty ? "nothing" : steps.joined(separator: "; "))
        field("template", layout.display(plan.packer.template))
        field("working dir", plan.packer.workingDirectory)
        field("work dir", layout.display(plan.workDirectory) + "/")
        field("output dir", layout.display(plan.outputDirectory))
        field("log", layout.display(plan.logFile))
        if let seed = plan.seed {
            field(
                "seed files",
                layout.display(seed.source) + "/ → " + layout.display(seed.destination) + "/ ("
                    + seed.files.joined(separator: ", ") + "), rendered before packer starts")
        }
        if let iso = plan.isoDownload { field("ISO", iso.url + " → " + layout.display(iso.path) + " (fetched once, verified)") }
        if let iso = plan.isoDatastore { field("ISO on datastore", iso.summary) }
        if let vm = plan.vmName { field("vSphere VM", vm) }
        if let accelerator = plan.accelerator { field("qemu accelerator", "\(accelerator.kind.rawValue): \(accelerator.reason)") }
        if let stall = plan.stall {
            field(
                "stall watchdog",
                stall.isOff
                    ? "off (IB_STALL_TIMEOUT=0)"
                    : stall.summary + " without output in a waiting stage (IP, SSH, WinRM, shutdown): diagnosed, then stopped")
        }
        if let simulator = plan.simulator {
            lines.append("  simulator profile (the guest is left out; artifacts are marked simulator-built):")
            lines += simulator.transformations.map { "    - " + $0 }
        }
        if let file = plan.sshSecretFile { field("ssh secret", layout.display(file) + " (the base's; 0600)") }
        field("environment", plan.packer.environmentNames.joined(separator: " ") + "  (values not shown)")
        lines.append("  var files (lowest precedence first):")
        for (index, file) in plan.varFiles.enumerated() {
            var line = "    \(index + 1). " + layout.display(file.path).padding(46) + file.role.rawValue
            if let copy = file.stringCopy { line += "  (packer reads a string-only copy: \(layout.display(copy)))" }
            lines.append(line)
        }
        lines.append("  argv:")
        lines += plan.packer.arguments.map { "    " + $0 }
        lines += plan.warnings.map { "  warning: " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
