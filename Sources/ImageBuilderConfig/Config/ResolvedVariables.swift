import ImageBuilderBasics

/// Every variable of one build with its whole history, lowest precedence first, so that
/// `explain` is a lookup and not a re-computation.
package struct ResolvedVariables: Sendable {
    /// Every assignment in the order made; `latest` points at each name's effective one (a
    /// plan makes hundreds: one flat array and an index beat an array per name).
    private var assignments: [(name: String, assignment: Assignment)] = []
    private var latest: [String: Int] = [:]
    private var order: [String] = []
    /// The environment packer will see, for `{{env ...}}` in template defaults (values only
    /// where known before a run; secrets stay inside this struct).
    package var packerEnvironment: [String: String] = [:]

    package init() {}

    /// Records an assignment; a later one wins.
    package mutating func apply(_ name: String, _ assignment: Assignment) {
        if latest.updateValue(assignments.count, forKey: name) == nil { order.append(name) }
        assignments.append((name, assignment))
    }

    /// Applies every entry of a var file.
    package mutating func apply(_ file: VarFile, role: VarFileRole) {
        assignments.reserveCapacity(assignments.count + file.entries.count)
        for entry in file.entries {
            apply(entry.key, Assignment(value: entry.value, source: .varFile(path: file.path, role: role, line: entry.line)))
        }
    }

    /// Names in first-seen order.
    package var names: [String] { order }

    package func effective(_ name: String) -> Assignment? { latest[name].map { assignments[$0].assignment } }

    /// Earlier assignments the effective one overrode, most recent first.
    package func overridden(_ name: String) -> [Assignment] {
        assignments.filter { $0.name == name }.map(\.assignment).dropLast().reversed()
    }

    /// The raw text packer gets for a variable (before interpolation).
    package func raw(_ name: String) -> String? { effective(name)?.value.packerText }

    /// The value after `{{user}}`/`{{env}}` expansion, as packer would compute it.
    package func value(_ name: String) -> String {
        guard let raw = raw(name) else { return "" }
        return Interpolation.expand(raw, user: { self.raw($0) }, env: { self.packerEnvironment[$0] })
    }

    /// Whether a variable ends up non-empty.
    package func isSet(_ name: String) -> Bool { !value(name).isEmpty }

    /// Whether a variable is true the way the orchestrator reads packer's booleans.
    package func isTrue(_ name: String) -> Bool { PackerBoolean.isTrue(value(name)) }
}
