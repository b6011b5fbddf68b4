public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning
public import OVAKit

/// What `ova package` and the vSphere builds package: the OVA layout from an output directory's
/// `packer-manifest.json` (its **last** build: packer appends on a rebuild, and the reference's
/// first entry is then stale), `packer-common.json`'s defaults for hardware keys the manifest
/// lacks (with a warning), OVF_CUSTOM_PROPERTIES and an optional EULA.
package struct OVAPackaging: Sendable {
    package let layout: OVALayout
    package let warnings: [String]
    /// The disks the manifest names (`files[].name` ending in .vmdk), absolute.
    package let manifestDisks: [String]

    /// The reference's required custom_data keys.
    static let required = [
        "build_date", "build_name", "build_timestamp", "containerd_version", "distro_arch", "distro_name",
        "distro_version", "guest_os_type", "ib_version", "kubernetes_cni_semver", "kubernetes_semver",
        "kubernetes_source_type", "kubernetes_typed_version", "os_name",
    ]
    /// Hardware keys the content issue added; older manifests fall back to packer-common.json.
    static let hardware = ["cpu", "cpu_cores", "memory", "firmware", "disk_controller_type", "network_card", "vmx_version", "disk_size"]
    /// The reference's guest_os_type → vSphere guest id map, for manifests without vsphere_guest_os_type.
    static let guestTypes = [
        "vmware-photon-64": "vmwarePhoton64Guest", "rhel9-64": "rhel9_64Guest", "rockylinux-64": "rockylinux_64Guest",
        "ubuntu-64": "ubuntu64Guest", "flatcar-64": "other4xLinux64Guest", "almalinux-64": "almalinux_64Guest",
    ]

    /// Reads the inputs; `diskCount` is the number of disks to describe (the manifest's, or the
    /// given files', or the VM's when streaming an export).
    package init(
        outputDirectory: String, layout repo: RepoLayout, environment: RunEnvironment, diskCount: Int? = nil,
        eulaFile: String? = nil, vmx: Int? = nil
    ) throws {
        let manifestPath = outputDirectory + "/packer-manifest.json"
        let json: JSONValue
        switch FileReader.read(manifestPath) {
        case .contents(let bytes, _):
            do { json = try JSONParser.parse(bytes) } catch { throw OVAError.invalidInput(path: manifestPath, reason: "invalid JSON: \(error)") }
        default: throw OVAError.invalidInput(path: manifestPath, reason: "no such file (packer's manifest post-processor writes it)")
        }
        guard let build = json["builds"]?.arrayValue?.last else { throw OVAError.invalidInput(path: manifestPath, reason: "no entry in 'builds'") }
        var data: [String: String] = [:]
        if case .object(let members)? = build["custom_data"] {
            for member in members { data[member.key] = member.value.stringValue ?? "" }
        }
        for key in Self.required where data[key] == nil {
            throw OVAError.invalidInput(path: manifestPath, reason: "custom_data has no '\(key)'")
        }
        // The OVA's file names come from these: plain names only, never a path out of the folder.
        for key in ["build_name", "kubernetes_semver"] {
            let value = data[key] ?? ""
            if value.isEmpty || !Paths.isPlainName(value) {
                throw OVAError.invalidInput(path: manifestPath, reason: "custom_data '\(key)' is '\(value)', not a plain name")
            }
        }
        var warnings: [String] = []
        let missing = Self.hardware.filter { (data[$0] ?? "").isEmpty }
        if !missing.isEmpty {
            // The same file, read the same way, as the builds' layering.
            data.merge(try PackagingDefaults.values(missing, layout: repo)) { _, defaults in defaults }
            warnings.append(
                "\(repo.display(manifestPath)): custom_data lacks \(missing.joined(separator: ", ")); using packer-common.json's defaults")
        }
        func number(_ key: String) throws -> Int64 {
            guard let value = Int64(data[key] ?? "") else {
                throw OVAError.invalidInput(path: manifestPath, reason: "custom_data '\(key)' is not a number: '\(data[key] ?? "")'")
            }
            return value
        }
        let files = (build["files"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.filter {
            $0.hasSuffix(".vmdk") || $0.hasSuffix(".qcow2")
        }
        manifestDisks = files.map { Paths.absolute($0, relativeTo: outputDirectory) }
        let semver = data["kubernetes_semver"] ?? ""
        let baseName = OVANames(buildName: data["build_name"] ?? "", kubernetesSemver: semver).base
        let disks = (0..<max(1, diskCount ?? files.count)).map {
            OVFDescriptor.Disk(fileName: "\(baseName)-disk-\($0).vmdk", capacityMiB: (try? number("disk_size")) ?? 0, size: 0, populatedSize: 0)
        }
        let guest =
            data["vsphere_guest_os_type"].flatMap { $0.isEmpty ? nil : $0 }
            ?? Self.guestTypes[data["guest_os_type"] ?? ""] ?? "otherLinux64Guest"
        let simulated = FileReader.exists(outputDirectory + "/SIMULATOR-BUILT")
        var annotation =
            "Cluster API vSphere image - \(data["os_name"] ?? "") and Kubernetes \(semver) - https://github.com/kubernetes-sigs/cluster-api-provider-vsphere"
        if simulated { annotation += " (built on the vCenter simulator: the guest was left out, the disk is a stand-in)" }
        if data["kubernetes_stand_in"] == "true" { annotation += " (the Kubernetes binaries are test stand-ins, not Kubernetes)" }
        let properties = [
            ("BUILD_TIMESTAMP", "build_timestamp"), ("BUILD_DATE", "build_date"), ("IMAGE_BUILDER_VERSION", "ib_version"),
            ("DISTRO_NAME", "distro_name"), ("DISTRO_VERSION", "distro_version"), ("DISTRO_ARCH", "distro_arch"),
            ("CNI_VERSION", "kubernetes_cni_semver"), ("CONTAINERD_VERSION", "containerd_version"),
            ("KUBERNETES_SEMVER", "kubernetes_semver"), ("KUBERNETES_SOURCE_TYPE", "kubernetes_source_type"),
        ]
        .map { OVFDescriptor.Property(key: $0.0, value: data[$0.1] ?? "") }
        let custom = try Self.customProperties(environment)
        let eula = try eulaFile.map { path -> String in
            guard case .contents(let bytes, _) = FileReader.read(environment.absolute(path)) else {
                throw OVAError.invalidInput(path: environment.absolute(path), reason: "no such EULA file (from --eula)")
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        let hardwareVersion = vmx.map { "vmx-\($0)" } ?? "vmx-\(data["vmx_version"].flatMap { $0.isEmpty ? nil : $0 } ?? "15")"
        let descriptor = OVFDescriptor(
            name: build["artifact_id"]?.stringValue ?? baseName, annotation: annotation, guestOSType: guest, hardwareVersion: hardwareVersion,
            cpus: Int(try number("cpu")), coresPerSocket: Int(try number("cpu_cores")), memoryMiB: try number("memory"),
            firmware: data["firmware"] ?? "bios", diskController: data["disk_controller_type"] ?? "pvscsi",
            networkCard: data["network_card"] ?? "vmxnet3", disks: disks,
            product: .init(
                product: "\(data["os_name"] ?? "") and Kubernetes \(semver)", vendor: "VMware Inc.", version: "kube-\(semver)",
                fullVersion: "kube-\(semver)", vendorURL: "https://vmware.com", category: "Cluster API Provider (CAPI)"),
            properties: properties + custom, eula: eula,
            nestedHV: guest.hasPrefix("windows") && data["disable_hypervisor"] != "true")
        layout = OVALayout(
            baseName: baseName, directory: outputDirectory, mtime: Int64(data["build_timestamp"] ?? "") ?? 0, descriptor: descriptor,
            manifestAtEnd: try Self.manifestAtEnd(environment))
        self.warnings = warnings
    }

    /// IB_OVA_MANIFEST: `end` puts the manifest after the disks (one pass over each disk);
    /// `after-ovf` (or unset) keeps it right after the OVF, which every importer takes.
    static func manifestAtEnd(_ environment: RunEnvironment) throws -> Bool {
        switch environment["IB_OVA_MANIFEST"] ?? "" {
        case "", "after-ovf": return false
        case "end": return true
        case let other: throw OVAError.invalidInput(path: "IB_OVA_MANIFEST (environment)", reason: "is '\(other)', not 'end' or 'after-ovf'")
        }
    }

    /// OVF_CUSTOM_PROPERTIES, checked as the planner checks it (relative to the working
    /// directory, not — as in the reference — to the output directory).
    static func customProperties(_ environment: RunEnvironment) throws -> [OVFDescriptor.Property] {
        guard let value = environment["OVF_CUSTOM_PROPERTIES"], !value.isEmpty else { return [] }
        return try OVFProperties.load(environment.absolute(value)).map { OVFDescriptor.Property(key: $0.key, value: $0.value) }
    }
}
