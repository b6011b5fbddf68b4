import ImageBuilderKit

/// The human form of `explain`.
enum ExplainText {
    static func render(plan: BuildPlan, rows: [VariableExplanation]) -> String {
        var lines = ["# \(plan.target): \(rows.count) variable\(rows.count == 1 ? "" : "s"), highest precedence last wins"]
        for row in rows {
            lines.append("\(row.name) = \(row.value)")
            if let expanded = row.expanded { lines.append("    expands to \(expanded)") }
            lines.append("    set by \(row.source)")
            for overridden in row.overrides {
                lines.append("    overrides \(overridden.value) from \(overridden.source)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
