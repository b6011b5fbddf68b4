extension ONETemplate {
    /// Reads template text back (what `text` writes, and OpenNebula's own files: unquoted
    /// values, `#` comments); nil when it is not a template.
    public static func parse(_ text: String) -> ONETemplate? {
        var scanner = Scanner(Array(text.unicodeScalars))
        var template = ONETemplate()
        while true {
            scanner.skipBlanks()
            guard !scanner.atEnd else { return template }
            guard let key = scanner.name(), scanner.skipBlanks(), scanner.take("=") else { return nil }
            scanner.skipBlanks()
            if scanner.take("[") {
                var pairs: [(String, String)] = []
                while true {
                    scanner.skipBlanks()
                    if scanner.take("]") { break }
                    guard let name = scanner.name(), scanner.skipBlanks(), scanner.take("="), scanner.skipBlanks(),
                        let value = scanner.value(inVector: true)
                    else { return nil }
                    pairs.append((name, value))
                    scanner.skipBlanks()
                    _ = scanner.take(",")
                }
                template.vector(key, pairs)
            } else {
                guard let value = scanner.value(inVector: false) else { return nil }
                template.set(key, value)
            }
        }
    }

    private struct Scanner {
        let characters: [Unicode.Scalar]
        var index = 0

        init(_ characters: [Unicode.Scalar]) { self.characters = characters }

        var atEnd: Bool { index >= characters.count }

        /// Spaces, line breaks and `#` comments; true, for chaining in conditions.
        @discardableResult
        mutating func skipBlanks() -> Bool {
            while !atEnd {
                if characters[index] == "#" {
                    while !atEnd && characters[index] != "\n" { index += 1 }
                } else if characters[index].properties.isWhitespace {
                    index += 1
                } else {
                    break
                }
            }
            return true
        }

        mutating func take(_ character: Unicode.Scalar) -> Bool {
            guard !atEnd, characters[index] == character else { return false }
            index += 1
            return true
        }

        mutating func name() -> String? {
            var out = String.UnicodeScalarView()
            while !atEnd, characters[index].properties.isAlphabetic || ("0"..."9").contains(characters[index]) || characters[index] == "_" {
                out.append(characters[index])
                index += 1
            }
            return out.isEmpty ? nil : String(out)
        }

        mutating func value(inVector: Bool) -> String? {
            var out = String.UnicodeScalarView()
            if take("\"") {
                while !atEnd {
                    let character = characters[index]
                    index += 1
                    if character == "\"" { return String(out) }
                    if character == "\\", !atEnd {
                        out.append(characters[index])
                        index += 1
                    } else {
                        out.append(character)
                    }
                }
                return nil
            }
            while !atEnd, characters[index] != "\n", !(inVector && (characters[index] == "," || characters[index] == "]")) {
                out.append(characters[index])
                index += 1
            }
            return String(String(out).trimmingSuffixWhitespace())
        }
    }
}

extension String {
    fileprivate func trimmingSuffixWhitespace() -> Substring {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return self[..<end]
    }
}
