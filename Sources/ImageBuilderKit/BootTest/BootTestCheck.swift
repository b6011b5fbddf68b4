/// One check of a booted image, and what the guest showed for it.
package struct BootTestCheck: Sendable, Codable, Equatable {
    package let name: String
    package let passed: Bool
    /// What was seen (a failing check names it).
    package let detail: String

    /// The command the guest runs once: each fact on a `key=value` line.
    static let probe = """
        echo "cloudinit=$(cloud-init status 2>/dev/null | sed -n 's/^status: //p')"; \
        echo "cloudiniterrors=$(cloud-init status --long 2>/dev/null | grep -A3 '^errors:' | tr -s '\\n ' ' ')"; \
        echo "hostname=$(hostname)"; echo "machineid=$(cat /etc/machine-id 2>/dev/null)"; \
        echo "machineidfresh=$(systemctl show -P ConditionResult systemd-machine-id-commit.service 2>/dev/null)"; \
        echo "marker=$(cat /run/image-builder-boot-test 2>/dev/null)"; \
        echo "containerd=$(systemctl is-active containerd 2>/dev/null)"; \
        echo "builduser=$(getent passwd builder packer | cut -d: -f1 | tr '\\n' ' ')"; \
        echo "rhsm=$(ls /etc/pki/consumer/cert.pem 2>/dev/null)"
        """

    /// The checks from the probe's answer.
    static func evaluate(_ lines: [String], hostname: String, marker: String, buildMachineID: String?) -> [BootTestCheck] {
        var facts: [String: String] = [:]
        for line in lines {
            guard let equals = line.firstIndex(of: "=") else { continue }
            facts[String(line[..<equals])] = String(line[line.index(after: equals)...]).trimmingCharacters()
        }
        func fact(_ key: String) -> String { facts[key] ?? "" }
        let id = fact("machineid")
        // A machine-id made at this boot: the image's was empty, so systemd generated one and
        // mounted it over /etc/machine-id (what systemd-machine-id-commit's condition checks).
        // One that came with the image would be every clone's.
        let fresh = fact("machineidfresh") == "yes"
        let idIsNew = id.count == 32 && id.allSatisfy(\.isHexDigit) && id != buildMachineID && fresh
        let errors = fact("cloudiniterrors")
        return [
            BootTestCheck(name: "ssh", passed: true, detail: "the seed's key logged in over the loopback forward"),
            BootTestCheck(
                name: "cloud-init", passed: fact("cloudinit") == "done" && (errors.isEmpty || errors.contains("errors: []")),
                detail: "status \(fact("cloudinit").isEmpty ? "(none)" : fact("cloudinit"))\(errors.isEmpty ? "" : "; " + errors)"),
            BootTestCheck(
                name: "hostname", passed: fact("hostname") == hostname, detail: "the guest is \(fact("hostname")), the seed said \(hostname)"),
            BootTestCheck(
                name: "machine-id", passed: idIsNew,
                detail: id.isEmpty
                    ? "empty"
                    : "\(id)" + (buildMachineID.map { id == $0 ? " is the build's" : " differs from the build's \($0)" } ?? "")
                        + (fresh ? ", made at this boot" : ", came with the image: every VM made from it would share it")),
            BootTestCheck(
                name: "seed commands", passed: fact("marker") == marker, detail: "runcmd marker \(fact("marker").isEmpty ? "missing" : "present")"),
            BootTestCheck(
                name: "containerd", passed: fact("containerd") == "active",
                detail: "systemd says \(fact("containerd").isEmpty ? "nothing" : fact("containerd"))"),
            BootTestCheck(
                name: "no build user", passed: fact("builduser").isEmpty,
                detail: fact("builduser").isEmpty ? "no builder or packer account" : "accounts left: \(fact("builduser"))"),
            BootTestCheck(
                name: "no RHSM registration", passed: fact("rhsm").isEmpty,
                detail: fact("rhsm").isEmpty ? "no consumer certificate" : "registered: \(fact("rhsm"))"),
        ]
    }
}
