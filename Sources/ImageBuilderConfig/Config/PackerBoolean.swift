/// The text packer turns into a boolean (Go's strconv.ParseBool), and no more: a value packer
/// would refuse is refused here too, so it never loosens TLS or turns a step on.
package enum PackerBoolean {
    package static let trueValues: Set<String> = ["1", "t", "T", "TRUE", "true", "True"]
    package static let falseValues: Set<String> = ["0", "f", "F", "FALSE", "false", "False"]

    /// Whether packer reads `text` as a boolean at all.
    package static func isValid(_ text: String) -> Bool { trueValues.contains(text) || falseValues.contains(text) }

    /// Whether packer reads `text` as true.
    package static func isTrue(_ text: String) -> Bool { trueValues.contains(text) }
}
