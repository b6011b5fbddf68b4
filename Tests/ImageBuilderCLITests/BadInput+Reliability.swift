import ImageBuilderKit

/// Inputs that used to get past the checks (issue 12, items 9 to 13): each is exit 2 before
/// anything starts, naming the file, key or variable.
extension BadInput {
    static let build = ["build", "node-ova-local-ubuntu-2404"]
    static let vsphereBuild = ["build", "node-ova-vsphere-ubuntu-2404"]

    /// A var file (v.json) setting `key` to `value` (JSON text), for the local build.
    static func setting(_ key: String, _ value: String, expect: [String]) -> BadInput {
        .init(
            name: "\(key) = \(value)", args: build, env: ["PACKER_VAR_FILES": "v.json"], files: ["v.json": "{\"\(key)\": \(value)}"],
            expect: ["$WORK/v.json:1 (PACKER_VAR_FILES): key '\(key)'"] + expect)
    }

    static let reliability: [BadInput] = [
        .init(
            name: "a var file with a UTF-8 byte-order mark", args: build, env: ["PACKER_VAR_FILES": "bom.json"],
            files: ["bom.json": "\u{FEFF}{\"cpu\": \"2\"}"], expect: ["$WORK/bom.json:1:1", "byte-order mark"]),
        .init(
            name: "insecure_connection: yes (packer refuses it)", args: vsphereBuild, env: ["PACKER_VAR_FILES": "vc.json"],
            files: ["vc.json": String(vsphereSettings.dropLast()) + ", \"insecure_connection\": \"yes\"}"],
            expect: ["$WORK/vc.json:1 (PACKER_VAR_FILES): key 'insecure_connection': 'yes' is not true or false"]),
        .init(
            name: "OVF_CUSTOM_PROPERTIES missing, for a build", args: build, env: ["OVF_CUSTOM_PROPERTIES": "/nonexistent"],
            expect: ["/nonexistent: no such file (from OVF_CUSTOM_PROPERTIES)"]),
        .init(
            name: "OVF_CUSTOM_PROPERTIES: an empty key", args: build, env: ["OVF_CUSTOM_PROPERTIES": "p.json"],
            files: ["p.json": "{\"\": \"x\"}"], expect: ["$WORK/p.json: line 1: a property needs a non-empty key"]),
        .init(
            name: "OVF_CUSTOM_PROPERTIES: a control character", args: build, env: ["OVF_CUSTOM_PROPERTIES": "p.json"],
            files: ["p.json": "{\"K\": \"bell\\u0007\"}"], expect: ["$WORK/p.json: line 1: the value of property 'K' holds a control character"]),
        .init(
            name: "OVF_CUSTOM_PROPERTIES: a 2 MB file", args: build, env: ["OVF_CUSTOM_PROPERTIES": "p.json"],
            files: ["p.json": "{\"K\": \"" + String(repeating: "x", count: 2 << 20) + "\"}"],
            expect: ["$WORK/p.json: larger than 1 MiB; not read (from OVF_CUSTOM_PROPERTIES)"]),
        .init(
            name: "--report into a missing folder", args: build + ["--report", "nowhere/r.json"],
            expect: ["--report $WORK/nowhere/r.json: its folder $WORK/nowhere does not exist"]),
        .init(
            name: "--log-dir is a file", args: build + ["--log-dir", "f.txt"], files: ["f.txt": "x"],
            expect: ["--log-dir $WORK/f.txt: is a file, not a folder"]),
        .init(
            name: "PACKER_FLAGS: --on-error=ask without a terminal", args: build, env: ["PACKER_FLAGS": "--on-error=ask"],
            expect: ["-on-error=ask", "there is none"]),
        .init(
            name: "PACKER_FLAGS: -on-error ask (two words) without a terminal", args: build, env: ["PACKER_FLAGS": "-on-error ask"],
            expect: ["-on-error=ask", "there is none"]),
        .init(name: "PACKER_FLAGS: --debug without a terminal", args: build, env: ["PACKER_FLAGS": "--debug"], expect: ["-debug", "there is none"]),
        .init(
            name: "PACKER_FLAGS: -on-error with an unknown value", args: build, env: ["PACKER_FLAGS": "-on-error=maybe"],
            expect: ["PACKER_FLAGS: key '-on-error': 'maybe' is not one of cleanup, abort, ask, run-cleanup-provisioner"]),
        .init(
            name: "PACKER_FLAGS: -only leaves out the family's builder", args: build, env: ["PACKER_FLAGS": "-only=vsphere"],
            expect: ["PACKER_FLAGS: '-only=vsphere' leaves out builder 'vmware-iso'"]),
        .init(
            name: "PACKER_FLAGS: -except the family's builder", args: build, env: ["PACKER_FLAGS": "-except vmware-iso"],
            expect: ["PACKER_FLAGS: '-except=vmware-iso' leaves out builder 'vmware-iso'"]),
        .init(
            name: "ova package: IB_OVFTOOL_ARGS with an unbalanced quote", args: ["ova", "package", "out"],
            env: ["IB_OVFTOOL": "1", "IB_OVFTOOL_ARGS": "--name='x"], files: ["out/packer-manifest.json": fullManifest],
            expect: ["key 'IB_OVFTOOL_ARGS'", "unterminated ' quote"]),
    ]

    static let hardware: [BadInput] = [
        .init(
            name: "ova package: build_name with ../ in the manifest", args: ["ova", "package", "out"],
            files: ["out/packer-manifest.json": fullManifest.replacingOccurrences(of: "\"build_name\": \"x\"", with: "\"build_name\": \"../x\"")],
            expect: ["$WORK/out/packer-manifest.json: custom_data 'build_name' is '../x', not a plain name"]),
        setting("disk_size", "\"abc\"", expect: ["'abc' is not a positive whole number"]),
        setting("disk_size", "\"1e4\"", expect: ["'1e4' is not a positive whole number"]),
        setting("disk_size", "\"-5\"", expect: ["'-5' is not a positive whole number"]),
        setting("disk_size", "1e4", expect: ["'1e4' is not a positive whole number"]),
        setting("cpu", "\"0\"", expect: ["'0' is not a positive whole number"]),
        setting("firmware", "\"uefi-weird\"", expect: ["'uefi-weird' is not one of bios, efi"]),
        setting("disk_controller_type", "\"ide\"", expect: ["'ide' is not one of pvscsi, lsilogic, lsilogic-sas, nvme, sata"]),
        setting("network_card", "\"<x>\"", expect: ["'<x>' is not one of vmxnet3, e1000, e1000e, vmxnet2"]),
        setting("build_name", "\"../escape\"", expect: ["'../escape' is not a plain name"]),
        setting("destroy", "\"yes\"", expect: ["'yes' is not true or false"]),
    ]
}
