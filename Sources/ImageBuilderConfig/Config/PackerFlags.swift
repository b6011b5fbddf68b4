public import ImageBuilderBasics

/// PACKER_FLAGS, split like a shell splits it and sorted into what the layering needs.
package struct PackerFlags: Sendable, Equatable {
    package enum Item: Sendable, Equatable {
        /// `-var-file=PATH` (made absolute against the caller's working directory).
        case varFile(String)
        /// `-var key=value`.
        case variable(key: String, value: String)
        /// Any other flag, passed through as written.
        case other(String)
    }

    package let items: [Item]

    /// Flags `packer build` takes that `packer validate` and `packer console` reject.
    package static let buildOnlyFlags: Set<String> = [
        "-color", "-debug", "-force", "-on-error", "-parallel-builds", "-timestamp-ui", "-parallel",
    ]

    package static func isBuildOnly(_ token: String) -> Bool {
        let name = token.split(separator: "=", maxSplits: 1).first.map(String.init) ?? token
        return buildOnlyFlags.contains(name) || buildOnlyFlags.contains("-" + name)
    }

    /// Parses the variable's text; `-var` holding a secret is refused.
    package init(_ text: String?, environment: RunEnvironment, origin: String = "PACKER_FLAGS") throws(ConfigError) {
        guard let text, !text.isEmpty else {
            items = []
            return
        }
        let words: [String]
        do { words = try ShellWords.split(text) } catch {
            switch error {
            case .unterminatedQuote(let q): throw .badPackerFlags(reason: "unterminated \(q) quote")
            case .trailingBackslash: throw .badPackerFlags(reason: "ends with a lone backslash")
            }
        }
        var items: [Item] = []
        var index = 0
        func value(for flag: String) throws(ConfigError) -> String {
            index += 1
            guard index < words.count else { throw .flagNeedsValue(flag: flag) }
            return words[index]
        }
        while index < words.count {
            let word = words[index]
            let bare = word.hasPrefix("--") ? String(word.dropFirst()) : word
            if bare == "-var-file" || bare.hasPrefix("-var-file=") {
                let path = bare == "-var-file" ? try value(for: word) : String(bare.dropFirst("-var-file=".count))
                guard !path.isEmpty else { throw .flagNeedsValue(flag: "-var-file") }
                items.append(.varFile(environment.absolute(path)))
            } else if bare == "-var" || bare.hasPrefix("-var=") {
                let assignment = bare == "-var" ? try value(for: word) : String(bare.dropFirst("-var=".count))
                items.append(try PackerFlags.variable(assignment, origin: origin))
            } else {
                items.append(.other(word))
            }
            index += 1
        }
        self.items = items
    }

    /// Parses `key=value`, refusing secrets.
    package static func variable(_ assignment: String, origin: String) throws(ConfigError) -> Item {
        guard let eq = assignment.firstIndex(of: "="), eq != assignment.startIndex else {
            let shown = assignment.split(separator: "=").first.map(String.init) ?? assignment
            throw .malformedVar(origin: origin, text: shown)
        }
        let key = String(assignment[..<eq])
        guard !SecretVariables.isSecret(key) else { throw .secretOnCommandLine(key: key, origin: origin) }
        return .variable(key: key, value: String(assignment[assignment.index(after: eq)...]))
    }

    package var varFiles: [String] {
        items.compactMap { if case .varFile(let p) = $0 { p } else { nil } }
    }
}
