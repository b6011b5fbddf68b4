import Foundation
import ImageBuilderKit
import ImageBuilderTestSupport
import OVAKit
import Synchronization
import Testing
import VSphereKit

/// Deploying an OVA made from a real streamOptimized VMDK (issue 5, acceptance 3).
@Suite(.enabled(if: SimulatorFixture.available && Fixtures.hasTool("qemu-img"), "needs go, govmomi's source and qemu-img"))
struct DeployTests {
    @Test(.timeLimit(.minutes(10)))
    func importVAppWithNFCUploadGivesTheOVFsHardware() async throws {
        let ova = try await Fixtures.makeOVA()
        let index = try TarIndex(path: ova)
        #expect(index.members.map(\.name) == ["node.ovf", "node.mf", "node-disk1.vmdk"])
        let ovf = try #require(index.member("node.ovf"))
        let handle = try #require(FileHandle(forReadingAtPath: ova))
        try handle.seek(toOffset: UInt64(ovf.offset))
        let descriptor = String(decoding: try handle.read(upToCount: Int(ovf.size)) ?? Data(), as: UTF8.self)
        #expect(descriptor.hasPrefix("<?xml"))
        let disk = try #require(index.member("node-disk1.vmdk"))

        let simulator = try await SimulatorFixture.start()
        defer { Task { await simulator.stop() } }
        let client = try ClientOperationTests.client(simulator)
        let pool = try #require(try await client.find(inventoryPath: "DC0/host/DC0_C0/Resources"))
        let datastore = try #require(try await client.find(inventoryPath: "DC0/datastore/LocalDS_0"))
        let network = try #require(try await client.find(inventoryPath: "DC0/network/VM Network"))
        let percents = Percents()
        let vm = try await client.importOVF(
            descriptor: descriptor, name: "deployed-node",
            files: ["node-disk1.vmdk": .init(path: ova, offset: disk.offset, size: disk.size)],
            placement: .init(pool: pool, datastore: datastore, networks: [("nic0", network)]),
            progress: { percents.add($0) })
        #expect(percents.values.last == 100)
        // The simulator's NFC handler discards the body but logs its length: all of the disk went.
        let log = Fixtures.read(simulator.root + "/output/sim/vcsim.log") ?? ""
        #expect(log.contains("nfc P") && log.contains("transferred \(disk.size) bytes"), "\(log.suffix(400))")

        let read = try await client.properties(
            of: vm, ["name", "config.hardware.numCPU", "config.hardware.memoryMB", "config.hardware.device", "resourcePool"])
        #expect(read["name"]?.string == "deployed-node")
        #expect(read["config.hardware.numCPU"]?.string == "3")
        #expect(read["config.hardware.memoryMB"]?.string == "3072")
        #expect(read["resourcePool"]?.reference == pool)
        let devices = read["config.hardware.device"]?.node?.children.compactMap(\.xsiType) ?? []
        #expect(devices.contains("VirtualVmxnet3") && devices.contains("VirtualDisk"), "\(devices)")

        // A file the descriptor names but the caller did not give: nothing is imported.
        await #expect(throws: VSphereError.self) {
            _ = try await client.importOVF(descriptor: descriptor, name: "no-disk", files: [:], placement: .init(pool: pool, datastore: datastore))
        }
        #expect(try await client.findVM("no-disk") == nil)
        await client.logout()
    }
}

/// Progress values reported from a `@Sendable` closure.
final class Percents: Sendable {
    private let storage = Mutex<[Int]>([])
    func add(_ value: Int) { storage.withLock { $0.append(value) } }
    var values: [Int] { storage.withLock { $0 } }
}

extension DeployTests {
    @Test(.timeLimit(.minutes(10)))
    func publishToAContentLibraryAndDeployFromIt() async throws {
        let ova = try await Fixtures.makeOVA()
        let index = try TarIndex(path: ova)
        let files = index.members.filter { !$0.name.hasSuffix(".mf") }.map {
            ($0.name, VSphereClient.FileSlice(path: ova, offset: $0.offset, size: $0.size))
        }
        let simulator = try await SimulatorFixture.start()
        defer { Task { await simulator.stop() } }
        let client = try ClientOperationTests.client(simulator)
        let pool = try #require(try await client.find(inventoryPath: "DC0/host/DC0_C0/Resources"))
        let datastore = try #require(try await client.find(inventoryPath: "DC0/datastore/LocalDS_0"))

        let published = try await client.publish(files: files, as: "node-ubuntu-2404", library: "image-builder", datastore: datastore)
        #expect(try await client.libraryID(named: "image-builder") == published.library)
        #expect(try await client.items(in: published.library) == [published.item: "node-ubuntu-2404"])
        // The library holds the files at their real sizes.
        #expect(try await client.files(ofItem: published.item) == Dictionary(uniqueKeysWithValues: files.map { ($0.0, $0.1.size) }))

        // Publishing again replaces the item (same library, one item).
        let again = try await client.publish(files: files, as: "node-ubuntu-2404", library: "image-builder", datastore: datastore)
        #expect(again.library == published.library && again.item != published.item)
        #expect(try await client.items(in: published.library).count == 1)

        let vm = try await client.deploy(item: again.item, as: "from-library", pool: pool)
        #expect(try await client.findVM("from-library") == vm)
        #expect(try await client.properties(of: vm, ["name"])["name"]?.string == "from-library")
        await client.logout()
    }
}
