import ImageBuilderBasics

/// Evaluates the parts of packer's legacy template language that decide names and paths:
/// `{{user `x`}}` and `{{env `X`}}`. Every other function is left as written.
///
/// Works on UTF-8 bytes: a plan expands every variable of every build, and most values hold no
/// `{{` at all (the string-searching version was a fifth of `plan`'s time).
package enum Interpolation {
    private static let brace = UInt8(ascii: "{")
    private static let closing = UInt8(ascii: "}")

    /// Expands `text`; `user` looks up a variable's raw value, `env` an environment variable.
    package static func expand(
        _ text: String, depth: Int = 0, user: (String) -> String?, env: (String) -> String?
    ) -> String {
        guard depth < 16, let first = pair(brace, in: text.utf8, from: text.utf8.startIndex) else { return text }
        let bytes = text.utf8
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var rest = bytes.startIndex
        var open: String.UTF8View.Index? = first
        while let start = open {
            result.append(contentsOf: bytes[rest..<start])
            let innerStart = bytes.index(start, offsetBy: 2)
            guard let close = pair(closing, in: bytes, from: innerStart) else {
                result.append(contentsOf: bytes[start...])
                return String(decoding: result, as: UTF8.self)
            }
            let end = bytes.index(close, offsetBy: 2)
            let inner = String(decoding: bytes[innerStart..<close], as: UTF8.self).trimmingCharacters()
            switch call(inner) {
            case ("user", let argument)?:
                if let value = user(argument) { result.append(contentsOf: expand(value, depth: depth + 1, user: user, env: env).utf8) }
            case ("env", let argument)?:
                result.append(contentsOf: (env(argument) ?? "").utf8)
            default:
                result.append(contentsOf: bytes[start..<end])
            }
            rest = end
            open = pair(brace, in: bytes, from: end)
        }
        result.append(contentsOf: bytes[rest...])
        return String(decoding: result, as: UTF8.self)
    }

    /// The index of the first two `byte`s in a row at or after `from`.
    private static func pair(_ byte: UInt8, in bytes: String.UTF8View, from: String.UTF8View.Index) -> String.UTF8View.Index? {
        var index = from
        var previous: UInt8 = 0
        var previousIndex = from
        while index < bytes.endIndex {
            let current = bytes[index]
            if current == byte, previous == byte, previousIndex < index { return previousIndex }
            previous = current
            previousIndex = index
            bytes.formIndex(after: &index)
        }
        return nil
    }

    /// `user `x`` or `env "X"` → (function, argument).
    private static func call(_ inner: String) -> (String, String)? {
        let parts = inner.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0] == "user" || parts[0] == "env" else { return nil }
        var argument = parts[1].trimmingCharacters()[...]
        guard let first = argument.first, first == "`" || first == "\"", argument.last == first, argument.count >= 2 else {
            return nil
        }
        argument = argument.dropFirst().dropLast()
        return (String(parts[0]), String(argument))
    }
}
