/// Replaces every known secret value in a line with `<redacted>` before it is shown or logged.
package struct Redactor: Sendable {
    private let values: [String]

    /// Secrets shorter than 3 characters are not searched for (they would mangle every line).
    package init(_ secrets: [Secret]) {
        values = Array(Set(secrets.map(\.value).filter { $0.count >= 3 })).sorted { $0.count > $1.count }
    }

    package func callAsFunction(_ line: String) -> String {
        var line = line
        for value in values where line.contains(value) {
            line = line.replacingOccurrences(of: value, with: Secret.redacted)
        }
        return line
    }
}
