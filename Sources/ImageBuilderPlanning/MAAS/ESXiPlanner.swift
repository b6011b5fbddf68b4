public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker

/// Plans the MAAS ESXi image (`maas-esxi`) from the environment: ESXI_ISO, ESXI_ISO_CHECKSUM,
/// ESXI_ROOT_PASSWORD, ESXI_RELEASE, PACKER_VAR_FILES, IB_ACCELERATOR. Pure (reads files,
/// starts nothing); every check that can fail happens here, so bad input starts nothing.
package struct ESXiPlanner: Sendable {
    package let environment: RunEnvironment
    package let layout: RepoLayout
    package let packer: PackerLocator.Result
    package let runID: String

    package init(environment: RunEnvironment, layout: RepoLayout, packer: PackerLocator.Result, runID: String = BuildPlan.runIDPlaceholder) {
        self.environment = environment
        self.layout = layout
        self.packer = packer
        self.runID = runID
    }

    /// The target name without a verb.
    package static let name = "maas-esxi"
    /// Passwords ESXi images are known to ship with: refused.
    package static let wellKnownPasswords: Set<String> = ["password123!", "vmware1!", "vmware123!", "vmware", "password", "changeme", "esxi"]

    /// `[verb-]maas-esxi`, or nil when the name is not a MAAS image target.
    package static func verb(of name: String) -> Verb?? {
        if name == Self.name { return .some(nil) }
        for verb in Verb.allCases where name == verb.rawValue + "-" + Self.name { return .some(verb) }
        return nil
    }

    package func plan(_ verb: Verb) throws -> ESXiPlan {
        let building = verb == .build
        var warnings: [String] = []
        let iso = try isoPath(required: building, warnings: &warnings)
        let checksum = try isoChecksum(required: building, warnings: &warnings)
        let (release, releaseSource) = try release(iso: iso)
        let password = try rootPassword(required: building)
        if !building && password == nil { warnings.append("ESXI_ROOT_PASSWORD is not set (a build needs it)") }
        let accelerator = try Accelerator.choose(environment)
        var varFiles: [String] = []
        let loader = VarFileLoader()
        for path in environment["PACKER_VAR_FILES"].map({ ShellWords.splitPathList($0).map(environment.absolute) }) ?? [] {
            _ = try loader.loadJSON(path, origin: "PACKER_VAR_FILES")
            varFiles.append(path)
        }
        let work = layout.workRoot + "/\(Self.name)-\(runID)"
        let template = layout.root + "/packer/maas/esxi.json"
        var arguments = [PackerLocator.path(packer), building ? "build" : "validate"]
        if building { arguments.append("-timestamp-ui") }
        arguments += varFiles.map { "-var-file=" + $0 }
        let orchestrated = [
            ("iso_path", iso), ("iso_checksum", checksum), ("ks_image", work + "/ks.img"),
            ("output_directory", work + "/packer-out"), ("serial_log", work + "/serial.log"),
            ("accelerator", accelerator.kind.rawValue), ("cpu_model", accelerator.cpuModel),
        ]
        for (key, value) in orchestrated { arguments += ["-var", "\(key)=\(value)"] }
        arguments.append(template)
        let output = layout.outputDirectory + "/esxi-\(release)"
        let environmentValues = [
            "CHECKPOINT_DISABLE": "1", "PACKER_CACHE_DIR": work + "/packer_cache", "PACKER_LOG_PATH": work + "/packer.log",
            "TMPDIR": (work + "/tmp").utf8.count <= 72 ? work + "/tmp" : "/tmp/ib-" + Planner.randomWord(length: 10),
        ]
        return ESXiPlan(
            target: "\(verb.rawValue)-\(Self.name)", verb: verb, release: release, releaseSource: releaseSource, iso: iso,
            isoChecksum: checksum, accelerator: accelerator,
            packer: PackerInvocation(
                arguments: arguments, workingDirectory: layout.root, environmentNames: environmentValues.keys.sorted(), template: template),
            environment: PackerEnvironment(values: environmentValues, removed: Self.removedFromPacker),
            workDirectory: work, rawDisk: work + "/packer-out/esxi", kickstartImage: work + "/ks.img",
            kickstartTemplate: layout.root + "/packer/maas/esxi-ks.cfg.tmpl", curtinDirectory: layout.root + "/packer/maas/curtin",
            firstBootDirectory: layout.root + "/packer/maas/first-boot", outputDirectory: output,
            image: output + "/esxi-\(release).dd.gz", checksumFile: output + "/esxi-\(release).dd.gz.sha256",
            logFile: layout.logDirectory + "/\(Self.name)-\(release).log", varFiles: varFiles, warnings: warnings, rootPassword: password)
    }

    /// `8.0` from `VMware-VMvisor-Installer-8.0U3-….iso`.
    static func release(isoName: String) -> String? {
        isoName.firstMatch(of: /Installer-(\d+)\.(\d+)/).map { "\($0.1).\($0.2)" }
    }

    /// Secrets packer never sees.
    static let removedFromPacker = ["ESXI_ROOT_PASSWORD", "MAAS_API_KEY", "SSH_PASSWORD", "VSPHERE_PASSWORD", "PACKER_VAR_FILES"]

    private func isoPath(required: Bool, warnings: inout [String]) throws(ESXiInputError) -> String {
        guard let given = environment["ESXI_ISO"], !given.isEmpty else {
            guard !required else {
                throw .unset(variable: "ESXI_ISO", meaning: "the path of the ESXi installer ISO (VMware-VMvisor-Installer-….iso)")
            }
            warnings.append("ESXI_ISO is not set: validate checks the template with a placeholder")
            return "/nonexistent/VMware-VMvisor-Installer-8.0-placeholder.x86_64.iso"
        }
        let path = environment.absolute(given)
        switch FileReader.read(path, offset: 0, count: 1) {
        case .contents: return path
        case .missing: throw .isoUnusable(variable: "ESXI_ISO", path: path, reason: "no such file")
        case .directory: throw .isoUnusable(variable: "ESXI_ISO", path: path, reason: "is a directory")
        case .notRegular(let kind): throw .isoUnusable(variable: "ESXI_ISO", path: path, reason: "is \(kind), not a regular file; not read")
        default: throw .isoUnusable(variable: "ESXI_ISO", path: path, reason: "cannot be read")
        }
    }

    private func isoChecksum(required: Bool, warnings: inout [String]) throws(ESXiInputError) -> String {
        guard let given = environment["ESXI_ISO_CHECKSUM"], !given.isEmpty else {
            guard !required else { throw .unset(variable: "ESXI_ISO_CHECKSUM", meaning: "the ISO's checksum, sha256:<hex>") }
            return "sha256:" + String(repeating: "0", count: 64)
        }
        if given.lowercased() == "none" {
            throw .invalid(variable: "ESXI_ISO_CHECKSUM", value: given, reason: "a checksum is required (the ISO is verified before it boots)")
        }
        let parts = given.split(separator: ":", maxSplits: 1).map(String.init)
        let (kind, hex) = parts.count == 2 ? (parts[0].lowercased(), parts[1]) : ("sha256", given)
        let lengths = ["sha256": 64, "sha512": 128]
        guard let length = lengths[kind] else {
            throw .invalid(variable: "ESXI_ISO_CHECKSUM", value: given, reason: "takes sha256:<hex> or sha512:<hex> (a checksum is required)")
        }
        guard hex.count == length, hex.allSatisfy(\.isHexDigit) else {
            throw .invalid(variable: "ESXI_ISO_CHECKSUM", value: given, reason: "\(kind) needs \(length) hexadecimal digits")
        }
        return kind + ":" + hex.lowercased()
    }

    private func release(iso: String) throws(ESXiInputError) -> (String, String) {
        if let given = environment["ESXI_RELEASE"], !given.isEmpty {
            guard Paths.isPlainName(given), given.first?.isNumber == true else {
                throw .invalid(variable: "ESXI_RELEASE", value: given, reason: "expected a release such as 8.0")
            }
            return (given, "ESXI_RELEASE")
        }
        let name = Paths.basename(iso)
        if let release = Self.release(isoName: name) { return (release, "the ISO's name") }
        throw .unset(variable: "ESXI_RELEASE", meaning: "the release (such as 8.0) cannot be read from the ISO's name \(name)")
    }

    private func rootPassword(required: Bool) throws(ESXiInputError) -> Secret? {
        guard let value = environment["ESXI_ROOT_PASSWORD"], !value.isEmpty else {
            guard !required else { throw .unset(variable: "ESXI_ROOT_PASSWORD", meaning: "the root password of the image (never a default)") }
            return nil
        }
        if Self.wellKnownPasswords.contains(value.lowercased()) {
            throw .weakPassword(variable: "ESXI_ROOT_PASSWORD", reason: "a well-known default password is refused")
        }
        if value.contains(where: \.isNewline) { throw .weakPassword(variable: "ESXI_ROOT_PASSWORD", reason: "holds a line break") }
        let classes = [
            value.contains(where: \.isLowercase), value.contains(where: \.isUppercase), value.contains(where: \.isNumber),
            value.contains { !$0.isLetter && !$0.isNumber },
        ].filter { $0 }.count
        guard value.count >= 7, classes >= 3 else {
            throw .weakPassword(variable: "ESXI_ROOT_PASSWORD", reason: "ESXi's password policy would refuse it and the installer would stop")
        }
        return Secret(value)
    }
}
