import ImageBuilderKit
import OVAKit

extension Fixtures {
    /// An OVA in a scratch folder: Tests/Fixtures/ova/node.ovf (3 CPUs, 3072 MB, a vmxnet3 NIC on
    /// network nic0), its manifest, and a streamOptimized disk made by qemu-img.
    package static func makeOVA() async throws -> String {
        let directory = try makeTemporaryDirectory("ib-ova")
        let script = """
            set -e
            cd "$1"
            qemu-img create -q -f raw disk.raw 64M
            printf 'image-builder test disk' | dd of=disk.raw conv=notrunc status=none
            qemu-img convert -O vmdk -o subformat=streamOptimized disk.raw node-disk1.vmdk
            size=$(stat -c %s node-disk1.vmdk)
            sed "s/@SIZE@/$size/" "$2" > node.ovf
            sha256sum node.ovf node-disk1.vmdk | awk '{print "SHA256(" $2 ")= " $1}' > node.mf
            tar --format=ustar -cf node.ova node.ovf node.mf node-disk1.vmdk
            """
        let made = try await ProcessCapture.run("/bin/sh", ["-c", script, "sh", directory, repoRoot + "/Tests/Fixtures/ova/node.ovf"])
        guard made.status == 0 else { throw OVANotMade(reason: made.stderr) }
        return directory + "/node.ova"
    }

    struct OVANotMade: Error { let reason: String }
}

extension Fixtures {
    /// The descriptor of an OVA (its `.ovf` member), as text.
    package static func ovfText(_ ova: String) throws -> String {
        let index = try TarIndex(path: ova)
        guard let member = index.members.first(where: { $0.name.hasSuffix(".ovf") }),
            case .contents(let bytes, _) = FileReader.read(ova, offset: member.offset, count: Int(member.size))
        else { throw OVANotMade(reason: "\(ova): no readable .ovf member") }
        return String(decoding: bytes, as: UTF8.self)
    }
}
