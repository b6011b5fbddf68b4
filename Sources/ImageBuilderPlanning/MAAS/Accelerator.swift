public import ImageBuilderBasics

/// How qemu runs the ESXi installer: KVM when this host can really use it, else software
/// emulation (TCG). `/dev/kvm` opening is not enough: a paravirtual KVM without vmx/svm in the
/// CPU flags hangs standard guests (stack-findings), so both must hold.
package struct Accelerator: Sendable, Encodable, Equatable {
    package enum Kind: String, Sendable, Encodable { case kvm, tcg }

    package let kind: Kind
    /// Why it was chosen, for `plan`.
    package let reason: String

    /// The `-cpu` model for it: the host's CPU under KVM; under TCG every feature qemu emulates.
    package var cpuModel: String { kind == .kvm ? "host" : "max" }

    /// `IB_ACCELERATOR` (kvm or tcg) wins; else the probe of `kvmDevice` and `cpuinfo`.
    package static func choose(
        _ environment: RunEnvironment, kvmDevice: String = "/dev/kvm", cpuinfo: String = "/proc/cpuinfo"
    ) throws(ESXiInputError) -> Accelerator {
        if let given = environment["IB_ACCELERATOR"], !given.isEmpty {
            guard let kind = Kind(rawValue: given) else {
                throw .invalid(variable: "IB_ACCELERATOR", value: given, reason: "takes kvm or tcg")
            }
            return Accelerator(kind: kind, reason: "IB_ACCELERATOR=\(given)")
        }
        guard FileReader.canOpenForWriting(kvmDevice) else {
            return Accelerator(kind: .tcg, reason: "\(kvmDevice) cannot be opened: software emulation")
        }
        guard case .contents(let bytes, _) = FileReader.read(cpuinfo, limit: 16 << 20) else {
            return Accelerator(kind: .tcg, reason: "\(cpuinfo) unreadable: software emulation")
        }
        let flags = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("flags") } ?? ""
        let words = Set(flags.split(separator: " ").map(String.init))
        guard words.contains("vmx") || words.contains("svm") else {
            return Accelerator(kind: .tcg, reason: "\(kvmDevice) opens but the CPU has no vmx/svm (a paravirtual KVM): software emulation")
        }
        return Accelerator(kind: .kvm, reason: "\(kvmDevice) opens and the CPU has \(words.contains("vmx") ? "vmx" : "svm")")
    }
}
