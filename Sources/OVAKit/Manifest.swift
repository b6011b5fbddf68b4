/// An OVF manifest (`.mf`): one `SHA256(<file>)= <hex>` line per file, in order.
public struct Manifest: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let file: String
        /// Lowercase hex.
        public let sha256: String

        public init(file: String, sha256: String) {
            self.file = file
            self.sha256 = sha256.lowercased()
        }
    }

    public enum ParseError: Error, Equatable {
        case malformedLine(number: Int, text: String)
    }

    public let entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// Parses manifest text; every non-empty line must be a SHA256 entry.
    public init(parsing text: String) throws(ParseError) {
        var entries: [Entry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            guard line.hasPrefix("SHA256("), let close = line.firstRange(of: ")= ") else {
                throw .malformedLine(number: index + 1, text: String(line))
            }
            let file = line[line.index(line.startIndex, offsetBy: 7)..<close.lowerBound]
            let hex = line[close.upperBound...]
            guard !file.isEmpty, !hex.isEmpty, hex.allSatisfy(\.isHexDigit) else {
                throw .malformedLine(number: index + 1, text: String(line))
            }
            entries.append(Entry(file: String(file), sha256: String(hex)))
        }
        self.entries = entries
    }

    /// The text, each line ending in a newline, with no entry for the manifest itself.
    public var text: String { entries.map { "SHA256(\($0.file))= \($0.sha256)\n" }.joined() }
}

/// The reference's artifact names: `<build_name>-kube-<semver>.{ovf,mf,ova,ova.sha256}`.
public struct OVANames: Sendable, Equatable {
    public let base: String

    public init(buildName: String, kubernetesSemver: String) { base = "\(buildName)-kube-\(kubernetesSemver)" }

    public var ovf: String { base + ".ovf" }
    public var manifest: String { base + ".mf" }
    public var ova: String { base + ".ova" }
    public var checksum: String { base + ".ova.sha256" }
}
