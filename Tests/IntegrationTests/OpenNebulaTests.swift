import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import OpenNebulaKit
import Testing

/// `one export` and `one publish` (issue 15) from a real simulator build: qemu-img proves the
/// extents hold the OVA's disk, and the publish is checked against what pyone sends.
@Suite(
    .serialized,
    .enabled(
        if: (OneServerFixture.available && SimulatorFixture.available && Fixtures.hasTool("packer") && Fixtures.hasTool("qemu-img")
            && FileReader.isExecutable(Fixtures.binary)) || Fixtures.isCI,
        "needs make test-deps (pyone), go, packer, qemu-img"))
struct OpenNebulaTests {
    static let built = Task<String, any Error> {
        let root = try Fixtures.makeRepoCopy()
        let simulator = try await SimulatorFixture.start(in: root)
        defer { Task { await simulator.stop() } }
        let build = try await OpenStackPublishTests.make(root, ["build-node-ova-vsphere-ubuntu-2404"], environment: [:], simulator: true)
        guard build.status == 0 else { throw OpenStackPublishTests.BuildFailed(output: String(build.stderr.suffix(3000))) }
        return root
    }

    static let name = "ubuntu-2404-kube-v1.36.1"
    static let output = "/output/" + name

    static func one(_ root: String, _ arguments: [String], environment: [String: String] = [:]) async throws -> Captured {
        var env = environment
        env.merge(["PATH": "/usr/bin:/bin", "HOME": root, "IB_ROOT": root]) { given, _ in given }
        return try await ProcessCapture.run(Fixtures.binary, ["one"] + arguments, environment: env, workingDirectory: root)
    }

    static func template(_ path: String) throws -> ONETemplate {
        try #require(ONETemplate.parse(Fixtures.read(path) ?? ""), "\(path)")
    }

    static func vectorValue(_ template: ONETemplate, _ key: String, _ field: String) -> String? {
        for case .vector(let name, let pairs) in template.attributes where name == key { return pairs.first { $0.0 == field }?.1 }
        return nil
    }

    @Test(.timeLimit(.minutes(10)))
    func theExportHoldsTheOVADiskAndTheBuildsValues() async throws {
        let root = try await Self.built.value
        let run = try await OpenStackPublishTests.make(root, ["export-node-ova-opennebula-ubuntu-2404"], environment: [:])
        #expect(run.status == 0, "\(run.stderr)")
        let directory = root + Self.output + "/opennebula"
        let folder = directory + "/" + Self.name
        let files = (FileReader.list(folder) ?? []).sorted()
        #expect(files.first == Self.name + "-s001.vmdk" && files.last == Self.name + ".vmdk", "\(files)")
        #expect(files.allSatisfy { $0 == Self.name + ".vmdk" || $0.range(of: #"^.*-s\d{3}\.vmdk$"#, options: .regularExpression) != nil })

        // The OVA's disk, taken out by python's tarfile, against the extents: qemu-img compares content.
        let ova = root + Self.output + "/\(Self.name).ova"
        let disk = try Fixtures.makeTemporaryDirectory("ib-one-disk") + "/disk.vmdk"
        let extract = try await ProcessCapture.run(
            "/usr/bin/python3",
            [
                "-c",
                "import sys,tarfile,shutil\nt=tarfile.open(sys.argv[1])\nm=[x for x in t if x.name.endswith('.vmdk')][0]\n"
                    + "shutil.copyfileobj(t.extractfile(m), open(sys.argv[2],'wb'))", ova, disk,
            ])
        #expect(extract.status == 0, "\(extract.stderr)")
        let compare = try await ProcessCapture.run("/usr/bin/qemu-img", ["compare", disk, folder + "/\(Self.name).vmdk"])
        #expect(compare.status == 0 && compare.stdout.contains("Images are identical"), "\(compare.stdout)\(compare.stderr)")

        let listing = try await ProcessCapture.run("/bin/tar", ["-tzf", directory + "/\(Self.name).tar.gz"])
        #expect(listing.stdout.split(separator: "\n").map(String.init).sorted() == files, "\(listing.stdout)")

        // The values are the build's, as its OVF says.
        let ovf = try OVFSummary.parse(Array(try Fixtures.ovfText(ova).utf8))
        #expect(ovf.cpus > 0 && ovf.memoryMiB > 0 && !ovf.guestOSType.isEmpty)
        let image = try Self.template(directory + "/image.one")
        #expect(image.value("NAME") == Self.name && image.value("PATH") == folder && image.value("TYPE") == "OS")
        #expect(image.value("DEV_PREFIX") == "sd" && image.value("VCENTER_DISK_TYPE") == "thin")
        #expect(image.value("VCENTER_ADAPTER_TYPE") == (ovf.diskController == "ide" ? "ide" : "lsiLogic"), "\(ovf.diskController)")
        let vm = try Self.template(directory + "/vm.one")
        #expect(vm.value("CPU") == String(ovf.cpus) && vm.value("VCPU") == String(ovf.cpus) && vm.value("MEMORY") == String(ovf.memoryMiB))
        #expect(Self.vectorValue(vm, "OS", "GUESTOS") == ovf.guestOSType)
        #expect(Self.vectorValue(vm, "NIC_DEFAULT", "MODEL") == "virtual" + ovf.networkCard.lowercased())
        #expect(Self.vectorValue(vm, "DISK", "IMAGE") == Self.name)
        #expect(Self.vectorValue(vm, "RAW", "TYPE") == "vmware" && Self.vectorValue(vm, "FEATURES", "PCIBRIDGE") != nil)
        let controller = ovf.diskController == "VirtualSCSI" ? "pvscsi" : ovf.diskController.lowercased()
        #expect(Self.vectorValue(vm, "RAW", "DATA_VMX")?.contains("scsi0.virtualDev = \"\(controller)\"") == true, "\(vm.text)")
        #expect(Self.vectorValue(vm, "CONTEXT", "NETWORK") == "YES")
    }

    @Test(.timeLimit(.minutes(10)))
    func quotesAndBackslashesInANameSurvive() async throws {
        let root = try await Self.built.value
        let odd = #"node "quoted" \ back\\slash"#
        let run = try await Self.one(root, ["export", root + Self.output, "--name", odd, "--path", "/var/lib/one/import/it's"])
        #expect(run.status == 0, "\(run.stderr)")
        let directory = root + Self.output + "/opennebula"
        #expect(try Self.template(directory + "/vm.one").value("NAME") == odd)
        #expect(try Self.template(directory + "/image.one").value("NAME") == odd)
        #expect(try Self.template(directory + "/image.one").value("PATH") == "/var/lib/one/import/it's")
        #expect(FileReader.isDirectory(directory + "/" + Paths.safeName(odd)))
    }

    @Test(.timeLimit(.minutes(10)))
    func theKVMRouteIsAQcow2OfTheSameDisk() async throws {
        let root = try await Self.built.value
        let run = try await Self.one(root, ["export", root + Self.output + "/\(Self.name).ova", "--format", "qcow2"])
        #expect(run.status == 0, "\(run.stderr)")
        let directory = root + Self.output + "/opennebula"
        let compare = try await ProcessCapture.run(
            "/usr/bin/qemu-img",
            ["compare", "-F", "vmdk", "-f", "qcow2", directory + "/\(Self.name).qcow2", directory + "/\(Self.name)/\(Self.name).vmdk"])
        #expect(compare.status == 0 && compare.stdout.contains("Images are identical"), "\(compare.stdout)\(compare.stderr)")
        let image = try Self.template(directory + "/image.one")
        #expect(image.value("FORMAT") == "qcow2" && image.value("DEV_PREFIX") == "vd" && image.value("VCENTER_ADAPTER_TYPE") == nil)
        #expect(Self.vectorValue(try Self.template(directory + "/vm.one"), "NIC_DEFAULT", "MODEL") == "virtio")
        let bad = try await Self.one(root, ["export", root + Self.output, "--format", "raw"])
        #expect(bad.status == 2 && bad.stderr.contains("--format takes vmdk or qcow2"), "\(bad.stderr)")
    }

    @Test func imagesForOpenNebulaListItsDatasource() throws {
        let file = Fixtures.read(Fixtures.repoRoot + "/packer/ova/opennebula.json") ?? ""
        let object = try JSONSerialization.jsonObject(with: Data(file.utf8)) as? [String: String]
        let list = (object?["cloudinit_datasources"] ?? "").split(separator: ",").map(String.init)
        #expect(list.first == "VMware" && list.contains("OpenNebula"))
        // Debian's cloud-init has the datasource of that name.
        #expect(FileReader.exists("/usr/lib/python3/dist-packages/cloudinit/sources/DataSourceOpenNebula.py"))
    }

    /// (In this serialized suite: the publish exports beside the shared build's OVA.)
    @Test(.timeLimit(.minutes(10)))
    func makePublishTargetsNeedADatastore() async throws {
        let root = try await OpenNebulaTests.built.value
        let server = try await OneServerFixture.start()
        defer { server.stop() }
        let target = "publish-node-ova-opennebula-ubuntu-2404"
        let none = try await OpenStackPublishTests.make(root, [target], environment: server.environment)
        #expect(none.status != 0 && none.stderr.contains("ONE_DATASTORE"), "\(none.stderr)")
        let run = try await OpenStackPublishTests.make(root, [target, "ONE_DATASTORE=vcenter-ds (IMG)"], environment: server.environment)
        #expect(run.status == 0 && run.stdout.contains("ubuntu-2404: OpenNebula image"), "\(run.stdout)\(run.stderr)")
        #expect(server.calls().contains { $0.contains("\"one.image.allocate\"") && $0.contains("{\"type\": \"int\", \"value\": 100}") })
    }
}
