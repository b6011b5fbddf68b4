import Testing

/// One bad-input case: what the user gives, and what the one-line error must name.
struct BadInput: Sendable, CustomTestStringConvertible {
    let name: String
    let args: [String]
    var env: [String: String] = [:]
    /// Files to write, relative to the working directory (`$WORK`); mode 0644.
    var files: [String: String] = [:]
    /// Files of the repository copy to replace (nil removes).
    var rootFiles: [String: String?] = [:]
    /// Substrings the first stderr line must contain (`$WORK`/`$ROOT` expanded).
    let expect: [String]
    /// Text that must appear nowhere in the output (a secret).
    var never: String? = nil

    var testDescription: String { name }

    static let vsphereSettings = """
        {"vcenter_server": "vc.example", "username": "u", "datacenter": "dc", "datastore": "ds", "cluster": "c", "network": "n"}
        """

    static let all: [BadInput] = targets + varFiles + flags + variables + catalog + usage + vsphere + ova + reliability + hardware

    static let targets: [BadInput] = [
        .init(
            name: "unknown OS", args: ["build", "build-node-ova-vsphere-ubuntu-2405"],
            expect: ["unknown target 'build-node-ova-vsphere-ubuntu-2405'"]),
        .init(name: "unknown family", args: ["build", "build-node-ova-vsfere-ubuntu-2404"], expect: ["unknown target", "vsfere"]),
        .init(name: "not a node-ova name", args: ["build", "build-ubuntu"], expect: ["unknown target 'build-ubuntu'"]),
        .init(
            name: "unsupported family", args: ["build", "build-node-ova-vsphere-clone-flatcar"],
            expect: ["flatcar has no 'vsphere-clone' family", "images/flatcar.json", "local, vsphere"]),
        .init(
            name: "wrong verb", args: ["build", "validate-node-ova-local-ubuntu-2404"],
            expect: ["'validate-node-ova-local-ubuntu-2404' is not a build target"]),
        .init(
            name: "one bad name among good ones", args: ["build", "node-ova-local-rhel-9", "node-ova-local-rhel-90"],
            expect: ["unknown target 'node-ova-local-rhel-90'"]),
        .init(
            name: "explain: unknown variable", args: ["explain", "node-ova-local-ubuntu-2404", "firmwar"],
            expect: ["no variable 'firmwar'"]),
        .init(name: "explain: an -all target", args: ["explain", "node-ova-local-all"], expect: ["one target"]),
    ]

    static let varFiles: [BadInput] = [
        .init(
            name: "PACKER_VAR_FILES: missing file", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_VAR_FILES": "nope.json"], expect: ["$WORK/nope.json: no such file (from PACKER_VAR_FILES)"]),
        .init(
            name: "PACKER_VAR_FILES: missing file with an escaped space", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_VAR_FILES": "my\\ dir/x.json"], expect: ["$WORK/my dir/x.json: no such file"]),
        .init(
            name: "PACKER_VAR_FILES: bad JSON with line and column", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_VAR_FILES": "bad.json"], files: ["bad.json": "{\n  \"a\": \"x\",\n  \"b\": }\n"],
            expect: ["$WORK/bad.json:3:8: invalid JSON"]),
        .init(
            name: "PACKER_VAR_FILES: trailing comma", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_VAR_FILES": "t.json"], files: ["t.json": "{\"a\": \"x\",}"], expect: ["$WORK/t.json:1:11: invalid JSON"]),
        .init(
            name: "PACKER_VAR_FILES: not an object", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_VAR_FILES": "arr.json"], files: ["arr.json": "[1, 2]"],
            expect: ["$WORK/arr.json: expected a JSON object of variables, found an array"]),
        .init(
            name: "PACKER_VAR_FILES: nested object value", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_VAR_FILES": "n.json"], files: ["n.json": "{\"ok\": \"1\",\n \"cpu\": {\"n\": 4}}"],
            expect: ["$WORK/n.json:2: key 'cpu'", "found an object"]),
        .init(
            name: "PACKER_VAR_FILES: array value", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_VAR_FILES": "a.json"], files: ["a.json": "{\"iso_urls\": [\"x\"]}"],
            expect: ["$WORK/a.json:1: key 'iso_urls'", "found an array"]),
        .init(
            name: "PACKER_VAR_FILES: empty file", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_VAR_FILES": "e.json"], files: ["e.json": ""], expect: ["$WORK/e.json:1:1", "empty"]),
        .init(
            name: "PACKER_VAR_FILES: empty key", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_VAR_FILES": "k.json"], files: ["k.json": "{\"\": \"x\"}"], expect: ["$WORK/k.json:1: empty variable name"]),
        .init(
            name: "PACKER_VAR_FILES: a directory", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_VAR_FILES": "dir"], files: ["dir/x": ""], expect: ["$WORK/dir: is a directory"]),
        .init(
            name: "PACKER_VAR_FILES: second file bad, first good", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_VAR_FILES": "good.json bad.json"], files: ["good.json": "{}", "bad.json": "{"],
            expect: ["$WORK/bad.json:1:2"]),
        .init(
            name: "--var-file: missing file", args: ["build", "node-ova-local-ubuntu-2404", "--var-file", "ubuntu-2404=gone.json"],
            expect: ["$WORK/gone.json: no such file"]),
        .init(
            name: "--var-file: unknown OS", args: ["build", "node-ova-local-ubuntu-2404", "--var-file", "ubuntu-2405=x.json"],
            files: ["x.json": "{}"], expect: ["unknown OS 'ubuntu-2405'"]),
        .init(
            name: "--var-file: not OS=FILE", args: ["build", "node-ova-local-ubuntu-2404", "--var-file", "x.json"],
            expect: ["--var-file 'x.json': expected OS=FILE"]),
        .init(
            name: "VAR_FILES_<os>: missing file", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["VAR_FILES_ubuntu_2404": "missing-os.json"], expect: ["$WORK/missing-os.json: no such file"]),
        .init(
            name: "VAR_FILES_<os> for a file with bad JSON, other OS built", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["VAR_FILES_ubuntu_2404": "b.json"], files: ["b.json": "{\"a\" 1}"], expect: ["$WORK/b.json:1:6"]),
    ]

    static let flags: [BadInput] = [
        .init(
            name: "PACKER_FLAGS: unterminated quote", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_FLAGS": "-var 'a=b"], expect: ["PACKER_FLAGS: unterminated ' quote"]),
        .init(
            name: "PACKER_FLAGS: ssh_password in -var", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_FLAGS": "-var ssh_password=Tr0ub4dor"], expect: ["PACKER_FLAGS", "ssh_password", "refused"], never: "Tr0ub4dor"),
        .init(
            name: "PACKER_FLAGS: vCenter password in -var=", args: ["build", "node-ova-vsphere-ubuntu-2404"],
            env: ["PACKER_FLAGS": "-var=password=Hunter2hunter"], expect: ["'-var password=…'"], never: "Hunter2hunter"),
        .init(
            name: "PACKER_FLAGS: -var without =", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_FLAGS": "-var foo"], expect: ["PACKER_FLAGS: '-var foo' is not of the form key=value"]),
        .init(
            name: "PACKER_FLAGS: -var-file without a path", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_FLAGS": "-var-file"], expect: ["PACKER_FLAGS: '-var-file' needs a value"]),
        .init(
            name: "PACKER_FLAGS: -var-file missing", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_FLAGS": "-var-file=nothere.json"], expect: ["$WORK/nothere.json: no such file (from PACKER_FLAGS)"]),
    ]

    static let variables: [BadInput] = [
        .init(
            name: "PACKER_COLOR not a boolean", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_COLOR": "maybe"], expect: ["PACKER_COLOR=maybe"]),
        .init(
            name: "ON_ERROR_ASK not a toggle", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["ON_ERROR_ASK": "sometimes"], expect: ["ON_ERROR_ASK=sometimes"]),
        .init(
            name: "SSH_PUBLIC_KEY_FILE missing", args: ["build", "node-ova-local-flatcar"],
            env: ["SSH_PUBLIC_KEY_FILE": "id.pub"], expect: ["$WORK/id.pub: no such file (from SSH_PUBLIC_KEY_FILE)"]),
        .init(
            name: "SSH_PRIVATE_KEY_FILE missing", args: ["build", "node-ova-local-flatcar"],
            env: ["SSH_PRIVATE_KEY_FILE": "id"], expect: ["$WORK/id: no such file (from SSH_PRIVATE_KEY_FILE)"]),
        .init(
            name: "vSphere settings all missing", args: ["build", "node-ova-vsphere-ubuntu-2404"],
            expect: ["build-node-ova-vsphere-ubuntu-2404: vSphere settings 'vcenter_server'", "'cluster or host'", "packer/ova/vsphere.json"]),
        .init(
            name: "vSphere password missing only", args: ["build", "node-ova-vsphere-base-rhel-9"],
            env: ["PACKER_VAR_FILES": "vc.json"], files: ["vc.json": vsphereSettings],
            expect: ["vSphere setting 'password' empty", "$WORK/vc.json"]),
        .init(
            name: "simulator profile off loopback", args: ["build", "node-ova-vsphere-ubuntu-2404"],
            env: ["PACKER_VAR_FILES": "sim.json", "VSPHERE_PASSWORD": "p"],
            files: [
                "sim.json":
                    "{\"vcenter_server\": \"vc.example.com\", \"username\": \"u\", \"datacenter\": \"d\", \"datastore\": \"s\", \"cluster\": \"c\", \"network\": \"n\", \"ib_profile\": \"simulator\"}"
            ],
            expect: ["ib_profile 'simulator' needs vcenter_server on 127.0.0.1, got 'vc.example.com'", "$WORK/sim.json"]),
        .init(
            name: "vSphere settings missing for one of -all", args: ["build", "build-node-ova-vsphere-clone-all"],
            expect: ["build-node-ova-vsphere-clone-almalinux-9: vSphere settings"]),
        .init(
            name: "RHEL's local DVD missing", args: ["build", "node-ova-local-rhel-9"],
            env: ["PACKER_VAR_FILES": "iso.json"], files: ["iso.json": "{\"iso_url\": \"file:///nonexistent/rhel-9.4-x86_64-dvd.iso\"}"],
            expect: ["/nonexistent/rhel-9.4-x86_64-dvd.iso: no such file (from iso_url of rhel-9", "iso.json"]),
        .init(
            name: "ON_ERROR_ASK without a terminal", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["ON_ERROR_ASK": "1"], expect: ["ON_ERROR_ASK=1 (-on-error=ask): packer asks on a terminal, and there is none"]),
        .init(
            name: "-debug in PACKER_FLAGS without a terminal", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["PACKER_FLAGS": "-debug"], expect: ["DEBUG=1 (-debug): packer asks on a terminal"]),
        .init(
            name: "IB_ROOT not a repository", args: ["build", "node-ova-local-ubuntu-2404"],
            env: ["IB_ROOT": "/nonexistent-root"], expect: ["IB_ROOT=/nonexistent-root"]),
    ]

    static let catalog: [BadInput] = [
        .init(
            name: "OS file with bad JSON", args: ["build", "node-ova-local-ubuntu-2404"],
            rootFiles: ["images/rhel-9.json": "{\"build_name\": \"rhel-9\"\n\"x\": 1}"], expect: ["$ROOT/images/rhel-9.json:2:1: invalid JSON"]),
        .init(
            name: "OS file missing a catalog key", args: ["build", "node-ova-local-ubuntu-2404"],
            rootFiles: ["images/ubuntu-9.json": "{\"build_name\": \"u9\"}"], expect: ["images/ubuntu-9.json: missing key 'distro_name'"]),
        .init(
            name: "OS file with a number for build_name", args: ["build", "node-ova-local-ubuntu-2404"],
            rootFiles: ["images/photon-5.json": "{\"build_name\": 5}"],
            expect: ["images/photon-5.json:1: key 'build_name' must be a non-empty string"]),
        .init(
            name: "OS file with an unknown family", args: ["build", "node-ova-local-ubuntu-2404"],
            rootFiles: ["images/flatcar.json": flatcar(families: "local cloud")],
            expect: ["images/flatcar.json: key 'ib_families': unknown family 'cloud'"]),
        .init(
            name: "OS file name not a target name", args: ["list"],
            rootFiles: ["images/Ubuntu_X.json": "{}"], expect: ["images/Ubuntu_X.json: an OS file name must be lowercase"]),
        .init(
            name: "shared config file with bad JSON", args: ["build", "node-ova-local-ubuntu-2404"],
            rootFiles: ["packer/config/cni.json": "{\"a\": nul}"], expect: ["$ROOT/packer/config/cni.json:1:7: invalid JSON"]),
        .init(
            name: "required template variable set by no file", args: ["build", "node-ova-local-ubuntu-2404"],
            rootFiles: ["packer/config/containerd.json": "{}"],
            expect: ["packer/ova/packer-node.json: required variable 'containerd_version'", "packer/config/containerd.json"]),
        .init(
            name: "family var file missing", args: ["build", "node-ova-local-vmx-ubuntu-2404"],
            rootFiles: ["packer/ova/vmx.json": nil], expect: ["$ROOT/packer/ova/vmx.json: no such file"]),
        .init(
            name: "template without the family's builder", args: ["build", "node-ova-local-ubuntu-2404"],
            rootFiles: ["packer/ova/packer-node.json": "{\"builders\": [{\"type\": \"null\"}]}"],
            expect: ["packer/ova/packer-node.json: no builder named 'vmware-iso'"]),
    ]

    static let usage: [BadInput] = [
        .init(name: "no targets", args: ["build"], expect: ["Missing expected argument"]),
        .init(name: "unknown command", args: ["frobnicate"], expect: ["Unexpected argument 'frobnicate'"]),
        .init(name: "unknown option", args: ["plan", "--bogus", "node-ova-local-rhel-9"], expect: ["Unknown option '--bogus'"]),
    ]

    /// The vsphere commands: connection settings, checked before anything connects.
    static let vsphere: [BadInput] = [
        .init(
            name: "vsphere: no connection settings", args: ["vsphere", "ls"],
            expect: ["vsphere: vSphere settings 'vcenter_server', 'username', 'password' empty", "packer/ova/vsphere.json"]),
        .init(
            name: "vsphere: --var-file missing", args: ["vsphere", "ls", "--var-file", "nope.json"],
            expect: ["$WORK/nope.json: no such file"]),
        .init(
            name: "vsphere: --ca-file missing", args: ["vsphere", "ls", "--var-file", "vc.json", "--ca-file", "ca.pem"],
            env: ["VSPHERE_PASSWORD": "p"], files: ["vc.json": vsphereSettings], expect: ["$WORK/ca.pem: no such file (from --ca-file)"]),
        .init(
            name: "vsphere: simulator profile off loopback", args: ["vsphere", "ls", "--var-file", "sim.json"],
            env: ["VSPHERE_PASSWORD": "p"],
            files: ["sim.json": "{\"vcenter_server\": \"10.1.2.3\", \"username\": \"u\", \"ib_profile\": \"simulator\"}"],
            expect: ["ib_profile 'simulator' needs vcenter_server on 127.0.0.1, got '10.1.2.3'"]),
        .init(
            name: "vsphere: snapshot without a name", args: ["vsphere", "snapshot", "vm-1"],
            expect: ["a snapshot name is needed (or --list)"]),
    ]

    /// The OVA commands: inputs checked before any byte is written.
    static let ova: [BadInput] = [
        .init(
            name: "ova: no packer-manifest.json", args: ["ova", "package", "out"], files: ["out/.keep": ""],
            expect: ["$WORK/out/packer-manifest.json: no such file"]),
        .init(
            name: "ova: custom_data key missing", args: ["ova", "package", "out"],
            files: ["out/packer-manifest.json": "{\"builds\": [{\"artifact_id\": \"x\", \"custom_data\": {\"build_name\": \"x\"}}]}"],
            expect: ["$WORK/out/packer-manifest.json: custom_data has no 'build_date'"]),
        .init(
            name: "ova: OVF_CUSTOM_PROPERTIES not strings", args: ["ova", "package", "out"],
            env: ["OVF_CUSTOM_PROPERTIES": "props.json"],
            files: ["out/packer-manifest.json": fullManifest, "props.json": "{\"A\": \"ok\",\n \"B\": 3}"],
            expect: ["$WORK/props.json: line 2: property 'B' must be a string"]),
        .init(
            name: "ova: EULA missing", args: ["ova", "package", "out", "--eula", "eula.txt"],
            files: ["out/packer-manifest.json": fullManifest], expect: ["$WORK/eula.txt: no such EULA file"]),
        .init(name: "ova: verify a missing file", args: ["ova", "verify", "x.ova"], expect: ["$WORK/x.ova: no such OVA file"]),
        .init(
            name: "plan: unknown --format", args: ["plan", "--format", "yaml", "node-ova-vsphere-all"],
            expect: ["--format takes github-matrix or k8s-jobs, not 'yaml'"]),
    ]

    /// A manifest with every custom_data key the packager needs.
    static let fullManifest: String = {
        let keys = [
            "build_date", "build_name", "build_timestamp", "containerd_version", "distro_arch", "distro_name", "distro_version",
            "guest_os_type", "ib_version", "kubernetes_cni_semver", "kubernetes_semver", "kubernetes_source_type",
            "kubernetes_typed_version", "os_name", "cpu", "cpu_cores", "memory", "firmware", "disk_controller_type",
            "network_card", "vmx_version", "disk_size",
        ]
        let values = keys.map {
            "\"\($0)\": \"\(["cpu", "cpu_cores", "memory", "vmx_version", "disk_size", "build_timestamp"].contains($0) ? "1" : "x")\""
        }
        return "{\"builds\": [{\"artifact_id\": \"x\", \"files\": [{\"name\": \"d.vmdk\"}], \"custom_data\": {" + values.joined(separator: ", ")
            + "}}]}"
    }()

    static func flatcar(families: String) -> String {
        """
        {"build_name": "flatcar", "distro_name": "flatcar", "distro_version": "1", "distro_arch": "amd64",
         "guest_os_type": "flatcar-64", "vsphere_guest_os_type": "other4xLinux64Guest", "os_display_name": "Flatcar",
         "firmware": "bios", "ib_families": "\(families)"}
        """
    }
}
