import Foundation
public import ImageBuilderBasics
public import ImageBuilderConfig

/// The simulator profile: the real pipeline with the guest left out. The effective packer
/// template is derived from the repository's into the build's work directory; these are the
/// changes, listed by `plan`.
package enum SimulatorProfile {
    /// What the derivation changes, for `plan` and the log.
    package static func transformations(builder: String) -> [String] {
        [
            "template derived into the work directory, only builder '\(builder)' kept",
            "communicator none (no SSH; the guest is left out)",
            "provisioners, error-cleanup provisioner and shell-local post-processors removed",
            "boot_command, boot_wait, http_directory, cd_files, cd_label, shutdown_command and export removed",
            "no ISO attached (iso_urls and iso_checksum removed)",
            "a \(diskMB) MB disk",
            "the VM is powered off through the vSphere client when packer waits for the guest to shut down",
            "a small streamOptimized disk (qemu-img) is uploaded over the VM's disk before export",
            "packer trusts the simulator's CA through SSL_CERT_FILE",
        ]
    }

    static let diskMB = 64
    static let removedBuilderKeys = [
        "boot_command", "boot_wait", "http_directory", "cd_files", "cd_label", "cd_content", "shutdown_command",
        "export", "iso_urls", "iso_url", "iso_checksum", "iso_paths", "floppy_files",
    ]

    /// The derived template's text from the repository template's bytes.
    package static func derive(_ bytes: [UInt8], builder: String, path: String) throws -> String {
        guard var template = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw PackerError.cannotDeriveSimulatorTemplate(path: path, reason: "not a JSON object")
        }
        guard var kept = (template["builders"] as? [[String: Any]])?.first(where: { $0["name"] as? String == builder }) else {
            throw PackerError.cannotDeriveSimulatorTemplate(path: path, reason: "no builder named '\(builder)'")
        }
        for key in removedBuilderKeys { kept[key] = nil }
        for key in kept.keys where key.hasPrefix("ssh_") || key.hasPrefix("winrm_") { kept[key] = nil }
        kept["communicator"] = "none"
        kept["shutdown_timeout"] = "10m"
        if var storage = kept["storage"] as? [[String: Any]] {
            for index in storage.indices { storage[index]["disk_size"] = String(diskMB) }
            kept["storage"] = storage
        }
        template["builders"] = [kept]
        template["provisioners"] = nil
        template["error-cleanup-provisioner"] = nil
        if let chains = template["post-processors"] as? [Any] {
            let kept = chains.compactMap { chain -> Any? in
                let steps = (chain as? [[String: Any]]) ?? ((chain as? [String: Any]).map { [$0] } ?? [])
                // Only steps that run for this builder, without only/except naming removed builders.
                let remaining = steps.filter { step in
                    step["type"] as? String != "shell-local"
                        && ((step["only"] as? [String])?.contains(builder) ?? true)
                        && !((step["except"] as? [String])?.contains(builder) ?? false)
                }.map { step in
                    var step = step
                    step["only"] = nil
                    step["except"] = nil
                    return step
                }
                return remaining.isEmpty ? nil : remaining
            }
            template["post-processors"] = kept.isEmpty ? nil : kept
        }
        template["_comment"] = "Derived by image-builder for the vCenter simulator from \(path); do not edit."
        let data = try JSONSerialization.data(withJSONObject: template, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
