import ImageBuilderKit

/// The JSON form of `plan`: `{"plans": [...], "root": "..."}`, pretty-printed with sorted keys.
struct PlanDocument: Encodable {
    let root: String
    let plans: [BuildPlan]

    /// The same text `JSONText.encode(self)` gives, with the plans encoded on every core (an
    /// `…-all` of every family is 120 plans and 440 KB; goal P1). A plan's text is nested by
    /// indenting its lines: JSON strings hold no raw line breaks.
    func json() throws -> String {
        guard plans.count > 1 else { return try JSONText.encode(self) }
        let encoded = plans.parallelMap { plan -> Result<String, any Error> in Result { try JSONText.encode(plan) } }
        var text = "{\n  \"plans\" : [\n"
        for (index, result) in encoded.enumerated() {
            let lines = try result.get().dropLast().split(separator: "\n", omittingEmptySubsequences: false)
            text += lines.map { $0.isEmpty ? "" : "    " + $0 }.joined(separator: "\n")
            text += index == encoded.count - 1 ? "\n" : ",\n"
        }
        text += "  ],\n  \"root\" : " + (try JSONText.encode(root).dropLast()) + "\n}\n"
        return text
    }
}
