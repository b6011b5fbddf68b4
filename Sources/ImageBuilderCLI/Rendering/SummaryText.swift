import ImageBuilderKit

/// The summary table after build and validate: target, result, exit code, duration, artifact or
/// log, and why when something failed early.
enum SummaryText {
    static func render(_ outcomes: [RunOutcome], layout: RepoLayout) -> String {
        guard !outcomes.isEmpty else { return "" }
        let width = max(6, outcomes.map(\.target.count).max() ?? 0) + 2
        var lines = ["TARGET".padding(width) + "RESULT".padding(12) + "EXIT".padding(6) + "SECONDS".padding(9) + "ARTIFACT / LOG"]
        for outcome in outcomes {
            let seconds = Double(Int(outcome.seconds * 10)) / 10
            var where_ = outcome.artifact.map(layout.display) ?? outcome.logFile.map(layout.display) ?? "-"
            if outcome.artifact != nil, let log = outcome.logFile { where_ += "  (log: \(layout.display(log)))" }
            lines.append(
                outcome.target.padding(width) + outcome.result.rawValue.padding(12)
                    + (outcome.exitCode.map(String.init) ?? "-").padding(6) + "\(seconds)".padding(9) + where_)
            if let message = outcome.message { lines.append("  " + Console.oneLine(message)) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
