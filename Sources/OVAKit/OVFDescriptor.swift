/// An OVF 1.x descriptor as vCenter expects it (VMware namespaces), typed: rendered to XML with
/// every value escaped. Unlike the reference's template, the hardware is the build's own (CPUs,
/// cores, memory, firmware, disk controller, NIC), and EFI is declared as EFI.
public struct OVFDescriptor: Sendable, Equatable {
    public struct Disk: Sendable, Equatable {
        /// The member name in the OVA.
        public var fileName: String
        /// The virtual disk's capacity in bytes: the VMDK header's when the disk is known,
        /// else `disk_size`. Written in MiB when it is whole MiB, else in bytes.
        public var capacityBytes: Int64
        /// The VMDK's size in bytes (References) and its populated size.
        public var size: Int64
        public var populatedSize: Int64

        public init(fileName: String, capacityBytes: Int64, size: Int64, populatedSize: Int64) {
            self.fileName = fileName
            self.capacityBytes = capacityBytes
            self.size = size
            self.populatedSize = populatedSize
        }

        /// `disk_size` in MiB.
        public init(fileName: String, capacityMiB: Int64, size: Int64, populatedSize: Int64) {
            self.init(fileName: fileName, capacityBytes: capacityMiB << 20, size: size, populatedSize: populatedSize)
        }
    }

    public struct Product: Sendable, Equatable {
        public var product, vendor, version, fullVersion, vendorURL, category: String

        public init(product: String, vendor: String, version: String, fullVersion: String, vendorURL: String, category: String) {
            (self.product, self.vendor, self.version, self.fullVersion, self.vendorURL, self.category) =
                (product, vendor, version, fullVersion, vendorURL, category)
        }
    }

    public struct Property: Sendable, Equatable {
        public var key: String
        public var value: String

        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// VirtualSystem id, `<Name>` and VirtualSystemIdentifier.
    public var name: String
    public var annotation: String
    /// `vmw:osType`, such as `ubuntu64Guest`.
    public var guestOSType: String
    /// `vmx-15` and the like.
    public var hardwareVersion: String
    public var cpus: Int
    public var coresPerSocket: Int
    public var memoryMiB: Int64
    /// `bios` or `efi`.
    public var firmware: String
    /// `pvscsi`, `lsilogic`, `nvme` or `sata`.
    public var diskController: String
    /// `vmxnet3`, `e1000` or `e1000e`.
    public var networkCard: String
    public var networkName: String
    public var disks: [Disk]
    public var product: Product
    public var properties: [Property]
    public var eula: String?
    public var nestedHV: Bool

    public init(
        name: String, annotation: String, guestOSType: String, hardwareVersion: String, cpus: Int, coresPerSocket: Int,
        memoryMiB: Int64, firmware: String, diskController: String, networkCard: String, networkName: String = "nic0",
        disks: [Disk], product: Product, properties: [Property], eula: String? = nil, nestedHV: Bool = false
    ) {
        self.name = name
        self.annotation = annotation
        self.guestOSType = guestOSType
        self.hardwareVersion = hardwareVersion
        self.cpus = cpus
        self.coresPerSocket = coresPerSocket
        self.memoryMiB = memoryMiB
        self.firmware = firmware
        self.diskController = diskController
        self.networkCard = networkCard
        self.networkName = networkName
        self.disks = disks
        self.product = product
        self.properties = properties
        self.eula = eula
        self.nestedHV = nestedHV
    }

    /// The OVF `OperatingSystemSection` id for a vSphere guest type (CIM OS types).
    public static func operatingSystemID(_ guestType: String) -> Int {
        switch guestType {
        case let type where type.hasPrefix("ubuntu"): 94
        case let type where type.hasPrefix("rhel") || type.hasPrefix("rocky") || type.hasPrefix("alma") || type.hasPrefix("centos"): 80
        case let type where type.hasPrefix("vmwarePhoton"): 36
        case let type where type.hasPrefix("windows"): 112
        case "other4xLinux64Guest", "other5xLinux64Guest", "other3xLinux64Guest": 100
        default: 101
        }
    }

    /// `(ResourceType, ResourceSubType)` of the disk controller.
    static func controller(_ kind: String) -> (Int, String) {
        switch kind.lowercased() {
        case "lsilogic": (6, "lsilogic")
        case "lsilogic-sas", "lsilogicsas": (6, "lsilogicsas")
        case "nvme": (20, "vmware.nvme.controller")
        case "sata": (20, "vmware.sata.ahci")
        default: (6, "VirtualSCSI")
        }
    }

    static func nic(_ kind: String) -> String {
        switch kind.lowercased() {
        case "e1000": "E1000"
        case "e1000e": "E1000e"
        case "vmxnet2": "VmxNet2"
        default: "VmxNet3"
        }
    }
}
