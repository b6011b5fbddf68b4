/// Every environment variable the product reads, with what it means (the README's table).
package enum EnvironmentVariable: String, CaseIterable, Sendable {
    case PACKER_VAR_FILES, PACKER_FLAGS, PACKER_BIN, PACKER_COLOR
    case ON_ERROR_ASK, FOREGROUND, DEBUG
    case SSH_PRIVATE_KEY_FILE, SSH_PUBLIC_KEY_FILE, SSH_PASSWORD
    case VSPHERE_PASSWORD
    case IB_ROOT, IB_BIN, IB_VERSION, IB_KEEP_WORK
    case OVF_CUSTOM_PROPERTIES, IB_OVFTOOL, IB_OVFTOOL_ARGS
    case VAR_FILES_OS = "VAR_FILES_<os>"
    case ESXI_ISO, ESXI_ISO_CHECKSUM, ESXI_ROOT_PASSWORD, ESXI_RELEASE, IB_ACCELERATOR
    case ONE_XMLRPC, ONE_AUTH, ONE_CA_FILE
    case WINDOWS_ADMIN_PASSWORD

    /// One line for the README and `--help`.
    package var meaning: String {
        switch self {
        case .PACKER_VAR_FILES:
            "extra var files, space-separated (`\\ ` keeps a space in a path), applied last, left to right"
        case .PACKER_FLAGS:
            "extra packer flags, split like a shell does; `-var k=v` wins over every file; secrets are refused"
        case .PACKER_BIN: "the packer binary to run (default: .local/bin/packer, then packer on PATH)"
        case .PACKER_COLOR: "`true` (default) or `false`: packer's -color for builds"
        case .ON_ERROR_ASK: "`1`: packer -on-error=ask (pause on a failed build)"
        case .FOREGROUND: "`1`: -var headless=false (show the VM console for local builds)"
        case .DEBUG: "`1`: packer -debug"
        case .SSH_PRIVATE_KEY_FILE: "adds -var ssh_private_key_file=<absolute path>"
        case .SSH_PUBLIC_KEY_FILE: "adds -var ssh_public_key=<the file's contents>"
        case .SSH_PASSWORD: "the build user's SSH password (default: generated per build; never printed)"
        case .VSPHERE_PASSWORD: "the vCenter password, instead of `password` in a var file"
        case .IB_ROOT: "the repository root (default: found from the working directory or the binary)"
        case .IB_BIN: "make: the image-builder binary to run instead of building one"
        case .IB_VERSION: "the version recorded in images (default: git describe)"
        case .IB_KEEP_WORK: "`1`: keep a build's work directory after it succeeded (a failed build's is always kept, 0700)"
        case .OVF_CUSTOM_PROPERTIES: "a JSON object file of extra OVF ProductSection properties (relative to the working directory)"
        case .IB_OVFTOOL: "non-empty: package OVAs with ovftool instead of image-builder's own writer"
        case .IB_OVFTOOL_ARGS: "extra ovftool arguments, split like a shell does"
        case .VAR_FILES_OS: "make: a var file for one OS only, e.g. VAR_FILES_ubuntu-2404=x.json (CLI: --var-file OS=FILE)"
        case .ESXI_ISO: "maas-esxi: the ESXi installer ISO (VMware-VMvisor-Installer-….iso)"
        case .ESXI_ISO_CHECKSUM: "maas-esxi: the ISO's checksum, sha256:<hex> or sha512:<hex> (required; packer verifies it)"
        case .ESXI_ROOT_PASSWORD: "maas-esxi: the image's root password (required; never written, only its SHA-512 crypt hash)"
        case .ESXI_RELEASE: "maas-esxi: the release (default: from the ISO's name, 8.0); output/esxi-<release>/, MAAS name esxi/<release>"
        case .WINDOWS_ADMIN_PASSWORD:
            "Windows targets: the administrator's password (required to build or validate; never in argv, the tree, logs or plan)"
        case .ONE_XMLRPC: "one publish: OpenNebula's XML-RPC endpoint (default http://localhost:2633/RPC2)"
        case .ONE_AUTH: "one publish: a file holding user:password (default ~/.one/one_auth), or user:password itself; never printed"
        case .ONE_CA_FILE: "one publish: a PEM CA for an https endpoint"
        case .IB_ACCELERATOR: "maas-esxi: kvm or tcg, instead of the probe (KVM only when /dev/kvm opens and the CPU has vmx/svm)"
        }
    }
}
