import ImageBuilderKit
import OVAKit
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The ESXi installer's stand-in ISO (hack/esxi-standin.sh), made once per test process, and
/// what a MAAS ESXi build needs around it.
package enum ESXiStandIn {
    private static let made = Mutex<String?>(nil)

    /// Whether the stand-in can be made and booted here (make deps-ova test-deps).
    package static var available: Bool {
        FileReader.isDirectory(Fixtures.repoRoot + "/.build-tools/standin-kernel/boot") && Fixtures.hasTool("qemu-system-x86_64")
            && Fixtures.hasTool("mcopy") && Fixtures.hasTool("packer") && FileReader.exists("/usr/lib/ISOLINUX/isolinux.bin")
    }

    /// The ISO's path (`VMware-VMvisor-Installer-8.0U3-standin.x86_64.iso`).
    package static func iso() async throws -> String {
        if let path = made.withLock({ $0 }) { return path }
        let directory = try Fixtures.makeTemporaryDirectory("ib-esxi-standin")
        let run = try await ProcessCapture.run("/bin/sh", [Fixtures.repoRoot + "/hack/esxi-standin.sh", directory])
        let path = run.stdout.trimmingCharacters()
        guard run.status == 0, FileReader.exists(path) else { throw StandInNotMade(output: run.stderr) }
        made.withLock { $0 = path }
        return path
    }

    /// `sha256:<hex>` of a file.
    package static func checksum(_ path: String) throws -> String { "sha256:" + (try SHA256File.hex(path)) }

    /// A var file that makes the stand-in's VM small (the stand-in needs
    /// 512 MiB, one CPU and a 32 MiB disk; a real ESXi the template's defaults).
    package static func smallVarFile(in directory: String) throws -> String {
        let path = directory + "/esxi-standin.json"
        try Fixtures.write(
            #"{"disk_size": "32M", "memory": "512", "cpus": "1", "boot_wait": "3s", "timeout": "8m"}"#, to: path)
        return path
    }

    package struct StandInNotMade: Error, CustomStringConvertible {
        package let output: String
        package var description: String { "hack/esxi-standin.sh failed: \(output.suffix(2000))" }
    }
}
