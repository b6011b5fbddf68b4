/// Word splitting for the few environment variables that hold lists.
package enum ShellWords {
    /// Why a string could not be split.
    package enum SplitError: Error, Equatable, Sendable {
        case unterminatedQuote(Character)
        case trailingBackslash
    }

    /// Splits like a POSIX shell does for a simple command, without any expansion:
    /// blanks separate words; single quotes keep everything; double quotes keep everything
    /// but `\"`, `\\`, `\$` and `` \` ``; a backslash outside quotes escapes the next character.
    package static func split(_ text: String) throws(SplitError) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var iterator = Array(text).makeIterator()
        while let char = iterator.next() {
            switch char {
            case " ", "\t", "\n":
                if inWord {
                    words.append(current)
                    current = ""
                    inWord = false
                }
            case "'":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "'" {
                        closed = true
                        break
                    }
                    current.append(next)
                }
                if !closed { throw .unterminatedQuote("'") }
            case "\"":
                inWord = true
                var closed = false
                while let next = iterator.next() {
                    if next == "\"" {
                        closed = true
                        break
                    }
                    if next == "\\" {
                        guard let escaped = iterator.next() else { throw .unterminatedQuote("\"") }
                        if !"\"\\$`".contains(escaped) { current.append("\\") }
                        current.append(escaped)
                    } else {
                        current.append(next)
                    }
                }
                if !closed { throw .unterminatedQuote("\"") }
            case "\\":
                guard let escaped = iterator.next() else { throw .trailingBackslash }
                inWord = true
                if escaped != "\n" { current.append(escaped) }
            default:
                inWord = true
                current.append(char)
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// Splits a path list the way image-builder's PACKER_VAR_FILES is written: blanks separate
    /// paths, and `\ ` keeps a space inside a path (`\\` is a backslash).
    package static func splitPathList(_ text: String) -> [String] {
        var paths: [String] = []
        var current = ""
        var chars = Array(text)[...]
        while let char = chars.popFirst() {
            if char == "\\", let next = chars.first, next == " " || next == "\\" || next == "\t" {
                current.append(next)
                chars = chars.dropFirst()
            } else if char == " " || char == "\t" || char == "\n" {
                if !current.isEmpty {
                    paths.append(current)
                    current = ""
                }
            } else {
                current.append(char)
            }
        }
        if !current.isEmpty { paths.append(current) }
        return paths
    }

    /// Quotes one word for display in a shell (never used to build argv).
    package static func quote(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        if !word.isEmpty, word.allSatisfy({ safe.contains($0) }) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// A display form of an argv array.
    package static func join(_ words: [String]) -> String { words.map(quote).joined(separator: " ") }
}

extension String {
    /// `replacingOccurrences` without Foundation.
    package func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        result += rest
        return result
    }
}
