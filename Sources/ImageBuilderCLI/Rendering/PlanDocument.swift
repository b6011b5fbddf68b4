import ImageBuilderKit

/// The JSON form of `plan`: `{"plans": [...], "root": "..."}`, pretty-printed with sorted keys.
struct PlanDocument: Encodable {
    let root: String
    let plans: [BuildPlan]

    /// The same text `JSONText.encode(self)` gives, with the plans encoded on every core (an
    /// `…-all` of every family is 120 plans and 440 KB; goal P1). A plan's text is nested by
    /// indenting its lines, byte by byte: JSON strings hold no raw line breaks.
    func json() throws -> String {
        guard plans.count > 1 else { return try JSONText.encode(self) }
        let encoded = plans.parallelMap { plan in Result { try PrettyJSONEncoder().encode(plan) } }
        var text: [UInt8] = Array("{\n  \"plans\" : [\n".utf8)
        text.reserveCapacity(encoded.reduce(0) { $0 + ((try? $1.get().count) ?? 0) } * 11 / 10)
        let newline = UInt8(ascii: "\n")
        for (index, result) in encoded.enumerated() {
            try result.get().withUnsafeBytes { bytes in
                var lineStart = true
                for byte in bytes {
                    if lineStart && byte != newline { text += [0x20, 0x20, 0x20, 0x20] }
                    text.append(byte)
                    lineStart = byte == newline
                }
            }
            text += Array((index == encoded.count - 1 ? "\n" : ",\n").utf8)
        }
        text += Array(("  ],\n  \"root\" : " + (try JSONText.encode(root).dropLast()) + "\n}\n").utf8)
        return String(decoding: text, as: UTF8.self)
    }
}
