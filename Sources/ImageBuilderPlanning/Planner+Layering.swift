public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker

extension Planner {
    /// One build's variables after layering its var files and flags.
    struct Layered {
        struct File {
            let path: String
            let role: VarFileRole
            let origin: String
        }
        var variables: ResolvedVariables
        var warnings: [String]
        let files: [File]
        let planned: [PlannedVarFile]
    }

    /// Template defaults, then var files (lowest precedence first, reference/image-builder.md
    /// §2.8), then `-var` flags.
    func layer(os: OSEntry, family: Family, verb: Verb, workDirectory: String) throws -> Layered {
        var vars = template(for: os).defaults
        vars.packerEnvironment = interpolationEnvironment(workDirectory: workDirectory)
        var files: [Layered.File] = sharedConfigFiles.map { .init(path: $0, role: .sharedConfig, origin: "packer/config") }
        files += inputs.packerFlags.varFiles.map { .init(path: $0, role: .packerFlags, origin: "PACKER_FLAGS") }
        files.append(.init(path: layout.commonVarFile, role: .common, origin: "the repository"))
        files.append(.init(path: os.file, role: .os, origin: "the OS catalog"))
        if let familyFile = family.familyVarFile {
            files.append(.init(path: layout.root + "/" + familyFile, role: .family, origin: "the \(family.rawValue) family"))
        }
        files += inputs.packerVarFiles.map { .init(path: $0, role: .user, origin: "PACKER_VAR_FILES") }
        files += (inputs.osVarFiles[os.name] ?? []).map { .init(path: $0, role: .osOverride, origin: "--var-file \(os.name)=…") }
        var planned: [PlannedVarFile] = []
        var warnings: [String] = []
        for (index, file) in files.enumerated() {
            let loaded = try loader.load(file.path, origin: file.origin)
            vars.apply(loaded, role: file.role)
            let copy =
                loaded.needsStringCopy
                ? workDirectory + "/var-files/\(index < 10 ? "0" : "")\(index)-" + Paths.basename(file.path) : nil
            planned.append(PlannedVarFile(path: file.path, role: file.role, stringCopy: copy))
            if loaded.othersCanRead, !loaded.secretKeys.isEmpty {
                warnings.append(
                    "\(layout.display(file.path)) sets \(loaded.secretKeys.joined(separator: ", ")) and is readable by others (chmod 600 it)")
            }
        }
        // -var flags: the user's PACKER_FLAGS, then image-builder's own (reference order).
        var flagItems = inputs.packerFlags.items.map { ("PACKER_FLAGS", $0) }
        flagItems += inputs.appendedFlags(for: verb)
        for (origin, item) in flagItems {
            if case .variable(let key, let value) = item {
                vars.apply(key, Assignment(value: .string(value), source: .commandLine(origin: origin)))
            }
        }
        return Layered(variables: vars, warnings: warnings, files: files, planned: planned)
    }
}
