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
            // Go's flags take `--name` as `-name`: one spelling from here on.
            let bare = word.hasPrefix("--") && word.count > 2 ? String(word.dropFirst()) : word
            if bare == "-var-file" || bare.hasPrefix("-var-file=") {
                let path = bare == "-var-file" ? try value(for: word) : String(bare.dropFirst("-var-file=".count))
                guard !path.isEmpty else { throw .flagNeedsValue(flag: "-var-file") }
                items.append(.varFile(environment.absolute(path)))
            } else if bare == "-var" || bare.hasPrefix("-var=") {
                let assignment = bare == "-var" ? try value(for: word) : String(bare.dropFirst("-var=".count))
                items.append(try PackerFlags.variable(assignment, origin: origin))
            } else if let name = PackerFlags.valued.first(where: { bare == $0 || bare.hasPrefix($0 + "=") }) {
                // `-on-error ask` and `-on-error=ask` alike (so checks see one form).
                let value = bare == name ? try value(for: word) : String(bare.dropFirst(name.count + 1))
                if name == "-on-error", !PackerFlags.onErrorValues.contains(value) {
                    throw .invalidValue(
                        source: origin, key: "-on-error", value: value, allowed: "one of " + PackerFlags.onErrorValues.joined(separator: ", "))
                }
                items.append(.other(name + "=" + value))
            } else {
                items.append(.other(bare))
            }
            index += 1
        }
        self.items = items
    }

    /// Flags that take a value, written `-name value` or `-name=value`.
    static let valued = ["-on-error", "-only", "-except", "-parallel-builds"]
    /// What packer 1.6.6 takes for -on-error.
    static let onErrorValues = ["cleanup", "abort", "ask", "run-cleanup-provisioner"]

    /// The builders `-only=`/`-except=` name, and which of the two (nil when neither is given).
    package var builderFilters: [(flag: String, builders: [String])] {
        items.compactMap { item in
            guard case .other(let token) = item else { return nil }
            for flag in ["-only", "-except"] where token.hasPrefix(flag + "=") {
                return (flag, token.dropFirst(flag.count + 1).split(separator: ",").map(String.init))
            }
            return nil
        }
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
