public import ImageBuilderBasics
public import OVAKit
public import OpenNebulaKit
import VSphereKit

/// `one export`: from a finished build's OVA, what OpenNebula's VMware drivers register —
/// `opennebula/<name>/` holding only `<name>.vmdk` and its `<name>-sNNN.vmdk` 2 GB extents
/// (converted by qemu-img straight from the disk's place in the OVA), `<name>.tar.gz` of exactly
/// those files for Sunstone, and `image.one` and `vm.one` with the build's own values.
package struct ONEExporter: Sendable {
    package struct Request: Sendable {
        /// A build's output directory (its newest OVA) or an OVA.
        package var source: String
        /// The image's name in OpenNebula (default: the OVA's name).
        package var name: String?
        /// Where the front-end sees the folder (default: its absolute path here).
        package var frontEndPath: String?
        /// A virtual network for the template's NIC (default: NIC_DEFAULT only).
        package var network: String?
        /// `vmdk` for the VMware drivers (default); `qcow2` for KVM (OpenNebula 7, where the
        /// VMware drivers are gone).
        package var format = Format.vmdk

        package init(source: String) { self.source = source }
    }

    package enum Format: String, Sendable, CaseIterable { case vmdk, qcow2 }

    package struct Result: Sendable {
        package let directory: String
        package let folder: String
        package let files: [String]
        /// The `.tar.gz` for Sunstone (VMDK only).
        package let tarball: String?
        package let imageTemplate: ONETemplate
        package let vmTemplate: ONETemplate
        package let warnings: [String]
    }

    let processes: any ProcessRunning
    let environment: RunEnvironment

    package init(processes: any ProcessRunning, environment: RunEnvironment) {
        self.processes = processes
        self.environment = environment
    }

    package func export(_ request: Request) async throws -> Result {
        let ova = try Self.locateOVA(request.source)
        let contents = try OVAContents(path: ova)
        let ovf: OVFSummary
        do { ovf = try OVFSummary.parse(Array(contents.descriptor.utf8)) } catch {
            throw OVAError.invalidInput(path: ova, reason: "\(contents.descriptorName): \(error)")
        }
        guard let disk = ovf.disks.first, let slice = contents.files[disk.href] else {
            throw OVAError.invalidInput(path: ova, reason: "\(contents.descriptorName) names no disk inside the OVA")
        }
        let base = String(Paths.basename(ova).dropLast(4))
        let machine = ONEMachine(ovf: ovf, name: request.name ?? base)
        let fileName = Paths.safeName(machine.name)
        let directory = Paths.dirname(ova) + "/opennebula"
        let folder = directory + "/" + fileName
        try FileWriter.makeDirectory(directory)
        let source = Self.qemuSource(slice.path, offset: slice.offset, size: slice.size)
        if request.format == .qcow2 {
            let disk = directory + "/\(fileName).qcow2"
            try await run("qemu-img", ["convert", "-O", "qcow2", source, disk + ".partial"])
            try FileWriter.rename(disk + ".partial", to: disk)
            let image = ONETemplates.kvmImage(machine, path: request.frontEndPath ?? disk)
            let vm = ONETemplates.kvmVM(machine, image: machine.name, network: request.network)
            try FileWriter.write(image.text, to: directory + "/image.one", mode: 0o644)
            try FileWriter.write(vm.text, to: directory + "/vm.one", mode: 0o644)
            return Result(
                directory: directory, folder: disk, files: [Paths.basename(disk)], tarball: nil, imageTemplate: image, vmTemplate: vm,
                warnings: [])
        }
        let partial = folder + ".partial"
        _ = try? FileWriter.remove(partial)
        try FileWriter.makeDirectory(partial)
        defer { _ = try? FileWriter.remove(partial) }
        try await run(
            "qemu-img",
            [
                "convert", "-O", "vmdk", "-o", "subformat=twoGbMaxExtentSparse,adapter_type=\(machine.vmdkAdapter)", source,
                partial + "/\(fileName).vmdk",
            ])
        let files = (FileReader.list(partial) ?? []).sorted()
        guard files.allSatisfy({ $0 == fileName + ".vmdk" || ($0.hasPrefix(fileName + "-s") && $0.hasSuffix(".vmdk")) }) else {
            throw OVAError.invalidInput(path: ova, reason: "qemu-img wrote unexpected files: \(files.joined(separator: ", "))")
        }
        _ = try? FileWriter.remove(folder)
        try FileWriter.rename(partial, to: folder)
        let tarball = directory + "/\(fileName).tar.gz"
        try await run(
            "tar", ["--create", "--gzip", "--file", tarball + ".partial", "--owner=0", "--group=0", "--numeric-owner", "--directory", folder] + files)
        try FileWriter.rename(tarball + ".partial", to: tarball)
        var warnings: [String] = []
        if machine.hotplugUnsupported {
            warnings.append(
                "the disk is on a \(machine.controller) controller, where OpenNebula cannot attach or detach disks: "
                    + "build with disk_controller_type=pvscsi (or lsilogic)")
        }
        let image = ONETemplates.image(machine, path: request.frontEndPath ?? folder)
        let vm = ONETemplates.vm(machine, image: machine.name, network: request.network)
        try FileWriter.write(image.text, to: directory + "/image.one", mode: 0o644)
        try FileWriter.write(vm.text, to: directory + "/vm.one", mode: 0o644)
        return Result(
            directory: directory, folder: folder, files: files, tarball: tarball, imageTemplate: image, vmTemplate: vm, warnings: warnings)
    }

    /// The OVA itself, or the newest OVA in a build's output directory.
    static func locateOVA(_ source: String) throws -> String {
        if source.hasSuffix(".ova") {
            guard FileReader.exists(source) else { throw OVAError.invalidInput(path: source, reason: "no such file") }
            return source
        }
        guard FileReader.isDirectory(source) else {
            throw OVAError.invalidInput(path: source, reason: "neither an OVA nor a build's output directory")
        }
        let ovas = (FileReader.list(source) ?? []).filter { $0.hasSuffix(".ova") }.sorted()
        guard let newest = ovas.max(by: { (FileReader.modified(source + "/" + $0) ?? 0) < (FileReader.modified(source + "/" + $1) ?? 0) }) else {
            throw OVAError.invalidInput(path: source, reason: "holds no .ova (package the build first)")
        }
        return source + "/" + newest
    }

    /// qemu's `json:` filename for a VMDK stored at `offset` in a file: read in place.
    static func qemuSource(_ path: String, offset: Int64, size: Int64) -> String {
        let quoted = "\"" + path.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        return #"json:{"driver":"vmdk","file":{"driver":"raw","offset":\#(offset),"size":\#(size),"file":{"driver":"file","filename":\#(quoted)}}}"#
    }

    private func run(_ tool: String, _ arguments: [String]) async throws {
        let lines = LineCollector(limit: 8)
        let command = ProcessCommand(
            executable: "/usr/bin/env", arguments: [tool] + arguments,
            environment: ["PATH": environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C"], workingDirectory: "/", label: tool)
        let outcome = try await processes.run(command) { _, line in lines.append(line) }
        try Task.checkCancellation()
        if outcome == .exited(127) { throw EnvironmentError.toolMissing(tool: tool, hint: "install it (Debian: apt-get install qemu-utils tar)") }
        guard outcome.succeeded else { throw OVAError.invalidInput(path: arguments.last ?? tool, reason: "\(tool) failed: \(lines.text)") }
    }
}
