public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Replaces every known secret value, and its base64 forms, in a line with `<redacted>` before
/// it is shown or logged (packer's -machine-readable prints sensitive variables in clear).
/// A secret of several lines is redacted in each line it spans.
package struct Redactor: Sendable {
    private let values: [String]

    /// Secrets shorter than 3 characters are not searched for (they would mangle every line).
    package init(_ secrets: [Secret]) {
        var forms = Set<String>()
        for secret in secrets.map(\.value) where secret.count >= 3 {
            forms.insert(secret)
            // Output is redacted line by line: a secret of several lines (a key, a
            // certificate) is searched for line by line too.
            for part in secret.split(whereSeparator: \.isNewline) where part.count >= 3 && part.count < secret.count {
                forms.insert(String(part))
            }
            let encoded = Data(secret.utf8).base64EncodedString()
            forms.insert(encoded)
            var unpadded = Substring(encoded)
            while unpadded.last == "=" { unpadded.removeLast() }
            if unpadded.count >= 4 { forms.insert(String(unpadded)) }
        }
        values = forms.sorted { $0.count > $1.count }
    }

    package func callAsFunction(_ line: String) -> String {
        var line = line
        for value in values where line.contains(value) {
            line = line.replacingOccurrences(of: value, with: Secret.redacted)
        }
        return line
    }
}
