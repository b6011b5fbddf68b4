public import ImageBuilderBasics

#if canImport(Glibc)
    import Glibc
#endif

/// The small pieces of a boot test: its id, a free loopback port, the disk's format, waiting
/// for qemu to end.
enum BootTestRun {
    static func id() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<10).map { _ in alphabet.randomElement()! })
    }

    static func seconds(_ duration: Duration) -> Double {
        duration / .seconds(1)
    }

    /// A port on 127.0.0.1 nothing listens on now (the kernel's choice).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BootTestError.input(path: "127.0.0.1", reason: "no socket for a free port") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw BootTestError.input(path: "127.0.0.1", reason: "no free port") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `qemu-img info`'s format of the disk (raw, qcow2, vmdk); anything else is bad input.
    static func format(of disk: String, head: [UInt8], tools: BootTestTools) async throws -> String {
        let lines = try await tools.require("qemu-img", ["info", "--output=json", disk])
        let json = try? JSONParser.parse(lines.joined(separator: "\n"))
        guard let format = json?["format"]?.stringValue, ["raw", "qcow2", "vmdk"].contains(format) else {
            throw BootTestError.input(path: disk, reason: "not a raw, qcow2 or VMDK disk")
        }
        // qemu-img calls any file raw: a bootable raw disk starts with a partition table.
        if format == "raw" {
            guard head.count == 512, head[510] == 0x55, head[511] == 0xAA else {
                throw BootTestError.input(path: disk, reason: "a raw file without a partition table (no boot sector)")
            }
        }
        return format
    }
}
