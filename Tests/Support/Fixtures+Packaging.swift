import ImageBuilderKit

extension Fixtures {
    /// custom_data as the repository's packer template records it (the reference's keys plus
    /// the hardware ones), with overrides.
    package static func customData(_ overrides: [String: String] = [:]) -> [String: String] {
        var data = [
            "build_date": "2026-11-21T09:21:28Z", "build_name": "ubuntu-2404", "build_timestamp": "1795252888",
            "containerd_version": "2.3.2", "distro_arch": "amd64", "distro_name": "ubuntu", "distro_version": "24.04",
            "guest_os_type": "ubuntu-64", "ib_version": "v0.9.0", "kubernetes_cni_semver": "v1.2.0", "kubernetes_semver": "v1.36.1",
            "kubernetes_source_type": "pkg", "kubernetes_typed_version": "kube-v1.36.1", "os_name": "Ubuntu 24.04",
            "cpu": "4", "cpu_cores": "1", "memory": "8192", "firmware": "bios", "disk_controller_type": "pvscsi",
            "network_card": "vmxnet3", "vmx_version": "15", "disk_size": "20480", "vsphere_guest_os_type": "ubuntu64Guest",
        ]
        data.merge(overrides) { $1 }
        return data
    }

    /// A packer-manifest.json with one build per entry of `builds` (custom_data each).
    package static func packerManifest(_ builds: [[String: String]], files: [String] = []) -> String {
        func object(_ data: [String: String]) -> String {
            "{" + data.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ") + "}"
        }
        let fileList = files.map { "{\"name\": \"\($0)\", \"size\": 1}" }.joined(separator: ", ")
        let entries = builds.enumerated().map { index, data in
            "{\"name\": \"vsphere\", \"builder_type\": \"vsphere-iso\", \"build_time\": \(1_795_000_000 + index), "
                + "\"files\": [\(fileList)], \"artifact_id\": \"\(data["build_name"] ?? "x")-kube-\(data["kubernetes_semver"] ?? "")\", "
                + "\"custom_data\": \(object(data))}"
        }
        return "{\"builds\": [\(entries.joined(separator: ", "))], \"last_run_uuid\": \"x\"}\n"
    }

    /// A streamOptimized VMDK made by qemu-img from `megabytes` MiB of random data.
    package static func makeRandomVMDK(in directory: String, name: String = "disk.vmdk", megabytes: Int = 8) async throws -> String {
        let script =
            "set -e; cd \"$1\"; head -c \(megabytes)M /dev/urandom > r.raw; "
            + "qemu-img convert -f raw -O vmdk -o subformat=streamOptimized r.raw \"$2\"; rm -f r.raw"
        let made = try await ProcessCapture.run("/bin/sh", ["-c", script, "sh", directory, name])
        guard made.status == 0 else { throw OVANotMade(reason: made.stderr) }
        return directory + "/" + name
    }
}
