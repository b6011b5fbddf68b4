public import ImageBuilderBasics

/// Evaluates the parts of packer's legacy template language that decide names and paths:
/// `{{user `x`}}` and `{{env `X`}}`. Every other function is left as written.
package enum Interpolation {
    /// Expands `text`; `user` looks up a variable's raw value, `env` an environment variable.
    package static func expand(
        _ text: String, depth: Int = 0, user: (String) -> String?, env: (String) -> String?
    ) -> String {
        guard text.contains("{{"), depth < 16 else { return text }
        var result = ""
        var rest = text[...]
        while let open = rest.firstRange(of: "{{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                result += rest[open.lowerBound...]
                return result
            }
            let inner = rest[open.upperBound..<close.lowerBound].trimmingCharacters()
            let whole = String(rest[open.lowerBound..<close.upperBound])
            if let (function, argument) = call(inner) {
                switch function {
                case "user":
                    if let value = user(argument) {
                        result += expand(value, depth: depth + 1, user: user, env: env)
                    } else {
                        result += ""
                    }
                case "env": result += env(argument) ?? ""
                default: result += whole
                }
            } else {
                result += whole
            }
            rest = rest[close.upperBound...]
        }
        result += rest
        return result
    }

    /// `user `x`` or `env "X"` → (function, argument).
    private static func call(_ inner: String) -> (String, String)? {
        let parts = inner.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, ["user", "env"].contains(parts[0]) else { return nil }
        var argument = parts[1].trimmingCharacters()[...]
        guard let first = argument.first, first == "`" || first == "\"", argument.last == first, argument.count >= 2 else {
            return nil
        }
        argument = argument.dropFirst().dropLast()
        return (String(parts[0]), String(argument))
    }
}
