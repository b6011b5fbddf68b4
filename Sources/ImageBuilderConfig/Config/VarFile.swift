public import ImageBuilderBasics

/// Where a var file sits in the layering (lowest first).
package enum VarFileRole: String, Sendable, Codable, CaseIterable {
    case sharedConfig = "shared config"
    case packerFlags = "PACKER_FLAGS -var-file"
    case common = "packer-common"
    case os = "OS file"
    case family = "family file"
    case user = "PACKER_VAR_FILES"
    case osOverride = "--var-file for this OS"
}

/// A var file that passed the check: a JSON object of strings, numbers, booleans and null.
package struct VarFile: Sendable {
    package struct Entry: Sendable, Equatable {
        package let key: String
        package let value: VarValue
        package let line: Int
    }

    /// Absolute path.
    package let path: String
    package let entries: [Entry]
    /// The file's mode lets users other than the owner read it.
    package let othersCanRead: Bool

    /// Whether packer 1.6.6 needs a string-only copy of this file.
    package let needsStringCopy: Bool

    package subscript(key: String) -> VarValue? { entries.last { $0.key == key }?.value }

    /// The keys that hold secrets with a non-empty value (kept: every plan of a run asks).
    package let secretKeys: [String]

    /// Checks parsed JSON; `path` is used in messages only.
    package init(path: String, json: JSONValue, othersCanRead: Bool) throws(ConfigError) {
        guard case .object(let members) = json else {
            throw .notAnObject(path: path, found: json.kindDescription)
        }
        var entries: [Entry] = []
        entries.reserveCapacity(members.count)
        for member in members {
            guard let value = VarValue(member.value) else {
                throw .wrongValueType(path: path, key: member.key, line: member.line, found: member.value.kindDescription)
            }
            if member.key.isEmpty { throw .emptyKey(path: path, line: member.line) }
            entries.append(Entry(key: member.key, value: value, line: member.line))
        }
        self.path = path
        self.entries = entries
        self.othersCanRead = othersCanRead
        needsStringCopy = entries.contains { $0.value.needsStringCopy }
        secretKeys = entries.filter { SecretVariables.isSecret($0.key) && !$0.value.packerText.isEmpty }.map(\.key)
    }

    /// The JSON text of the string-only copy handed to packer 1.6.6.
    package func stringCopyJSON() -> String {
        var seen = Set<String>()
        var lines: [String] = []
        // Secrets stay out of the copy: packer gets them from the environment (the template's
        // defaults read IB_VSPHERE_PASSWORD, IB_SSH_PASSWORD, IB_REMOTE_PASSWORD).
        for entry in entries.reversed() where seen.insert(entry.key).inserted && SecretVariables.templateEnvironment[entry.key] == nil {
            let value: String = entry.value == .null ? "null" : VarValue.string(entry.value.packerText).display
            lines.append("  " + VarValue.string(entry.key).display + ": " + value)
        }
        return "{\n" + lines.reversed().joined(separator: ",\n") + "\n}\n"
    }
}
