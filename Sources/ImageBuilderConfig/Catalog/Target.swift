public import ImageBuilderBasics

/// What a command does with a target.
package enum Verb: String, Sendable, Codable, CaseIterable {
    case build, validate, clean

    /// One phrase for `list`.
    package func summary(_ family: Family) -> String {
        switch self {
        case .build: family.summary
        case .validate: "validate the \(family.rawValue) packer config"
        case .clean: "remove the \(family.rawValue) output and work dirs"
        }
    }
}

/// One family × OS combination: one packer build.
package struct Target: Sendable, Hashable, Codable {
    package let family: Family
    package let os: String

    package init(family: Family, os: String) {
        self.family = family
        self.os = os
    }

    /// `node-ova-<family>-<os>`: the name without a verb.
    package var name: String { "node-ova-\(family.rawValue)-\(os)" }

    /// The full make-target name for a verb.
    package func name(_ verb: Verb) -> String { "\(verb.rawValue)-\(name)" }
}

/// A name as a user typed it: optional verb, family, and one OS or `all`.
package struct TargetSelector: Sendable, Equatable {
    package let verb: Verb?
    package let family: Family
    /// nil means `all`.
    package let os: String?

    package init(verb: Verb?, family: Family, os: String?) {
        self.verb = verb
        self.family = family
        self.os = os
    }

    /// Parses `[<verb>-]node-ova-<family>-<os|all>` against the catalog.
    package static func parse(_ text: String, catalog: Catalog) throws(CatalogError) -> TargetSelector {
        var rest = Substring(text)
        var verb: Verb?
        for candidate in Verb.allCases where rest.hasPrefix(candidate.rawValue + "-node-ova-") {
            verb = candidate
            rest = rest.dropFirst(candidate.rawValue.count + 1)
        }
        guard rest.hasPrefix("node-ova-") else { throw unknown(text, catalog: catalog) }
        rest = rest.dropFirst("node-ova-".count)
        // Longest family first, so "vsphere-base-x" is not read as family "vsphere", OS "base-x".
        let families = Family.allCases.sorted { $0.rawValue.count > $1.rawValue.count }
        for family in families where rest.hasPrefix(family.rawValue + "-") {
            let os = String(rest.dropFirst(family.rawValue.count + 1))
            if os == "all" { return TargetSelector(verb: verb, family: family, os: nil) }
            guard let entry = catalog.system(named: os) else { continue }
            guard entry.supports(family) else {
                throw .unsupportedFamily(
                    os: os, family: family.rawValue, supported: entry.families.map(\.rawValue),
                    file: catalog.layout.display(entry.file))
            }
            return TargetSelector(verb: verb, family: family, os: os)
        }
        throw unknown(text, catalog: catalog)
    }

    private static func unknown(_ text: String, catalog: Catalog) -> CatalogError {
        let verbs: [Verb] = Verb.allCases.filter { text.hasPrefix($0.rawValue + "-") }
        var names: [String] = []
        for verb in verbs.isEmpty ? [nil] : verbs.map(Optional.some) {
            names += TargetMatrix(catalog: catalog).names(verb: verb)
        }
        return .unknownTarget(name: text, suggestions: Suggestions.closest(to: text, in: names))
    }

    /// The targets this selector stands for, in catalog order.
    package func expand(_ catalog: Catalog) -> [Target] {
        if let os { return [Target(family: family, os: os)] }
        return catalog.systems(in: family).map { Target(family: family, os: $0.name) }
    }
}
