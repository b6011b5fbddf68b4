public import ImageBuilderBasics

/// Where a variable's value came from.
package enum ValueSource: Sendable, Equatable, Codable {
    /// The template's `variables` block.
    case templateDefault(template: String)
    /// A var file, with the line of the key.
    case varFile(path: String, role: VarFileRole, line: Int)
    /// A `-var` on packer's command line: from PACKER_FLAGS or an image-builder variable.
    case commandLine(origin: String)
    /// Set by the orchestrator, with the reason.
    case orchestrator(reason: String)

    /// For `explain`, with paths relative to the root.
    package func describe(_ layout: RepoLayout) -> String {
        switch self {
        case .templateDefault(let template): "\(layout.display(template)) default"
        case .varFile(let path, let role, let line): "\(layout.display(path)):\(line) (\(role.rawValue))"
        case .commandLine(let origin): "-var from \(origin)"
        case .orchestrator(let reason): "image-builder: \(reason)"
        }
    }
}

/// One assignment of a value to a variable.
package struct Assignment: Sendable, Equatable {
    package let value: VarValue
    package let source: ValueSource

    package init(value: VarValue, source: ValueSource) {
        self.value = value
        self.source = source
    }
}
