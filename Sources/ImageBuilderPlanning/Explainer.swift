public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker

/// `explain`: each variable's effective value, what set it, and what it overrode.
package struct VariableExplanation: Sendable, Codable, Equatable {
    package struct Overridden: Sendable, Codable, Equatable {
        package let value: String
        package let source: String
    }

    package let name: String
    /// The value as set (JSON-like); `<redacted>` for secrets.
    package let value: String
    /// The value after `{{user}}`/`{{env}}` expansion, when it differs.
    package let expanded: String?
    package let source: String
    /// Earlier assignments this one won over, most recent first.
    package let overrides: [Overridden]
    package let secret: Bool
}

package enum Explainer {
    /// Explains `names` (all variables, sorted, when empty) for one planned target.
    package static func explain(
        _ plan: BuildPlan, _ variables: ResolvedVariables, layout: RepoLayout, names: [String]
    ) throws(ConfigError) -> [VariableExplanation] {
        let known = variables.names
        for name in names where variables.effective(name) == nil {
            throw .unknownVariable(name: name, target: plan.target, suggestions: Suggestions.closest(to: name, in: known))
        }
        let selected = names.isEmpty ? known.sorted() : names
        return selected.compactMap { name in
            guard let effective = variables.effective(name) else { return nil }
            let secret = SecretVariables.isSecret(name)
            let expanded = variables.value(name)
            func shown(_ value: VarValue, isEffective: Bool = false) -> String {
                guard secret else { return value.display }
                let empty = isEffective ? expanded.isEmpty : value.packerText.isEmpty
                return empty ? "\"\"" : Secret.redacted
            }
            var source = effective.source.describe(layout)
            if secret, case .templateDefault = effective.source, let envName = SecretVariables.templateEnvironment[name] {
                source += " (reads \(envName): " + secretOrigin(envName) + ")"
            }
            return VariableExplanation(
                name: name, value: shown(effective.value, isEffective: true),
                expanded: secret || expanded == effective.value.packerText ? nil : expanded,
                source: source,
                overrides: variables.overridden(name).map { .init(value: shown($0.value), source: $0.source.describe(layout)) },
                secret: secret)
        }
    }

    private static func secretOrigin(_ envName: String) -> String {
        switch envName {
        case "IB_VSPHERE_PASSWORD": "from VSPHERE_PASSWORD"
        case "IB_SSH_PASSWORD": "SSH_PASSWORD, else generated per build"
        default: "from the environment"
        }
    }
}
