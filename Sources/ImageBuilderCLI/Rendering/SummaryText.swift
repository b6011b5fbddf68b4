import ImageBuilderKit

/// The summary table after build and validate.
enum SummaryText {
    static func render(_ outcomes: [RunOutcome], layout: RepoLayout) -> String {
        guard !outcomes.isEmpty else { return "" }
        let width = max(6, outcomes.map(\.target.count).max() ?? 0) + 2
        var lines = ["TARGET".padding(width) + "RESULT".padding(12) + "EXIT".padding(6) + "SECONDS".padding(9) + "LOG"]
        for outcome in outcomes {
            let seconds = Double(Int(outcome.seconds * 10)) / 10
            lines.append(outcome.target.padding(width) + outcome.result.rawValue.padding(12)
                + (outcome.exitCode.map(String.init) ?? "-").padding(6) + "\(seconds)".padding(9)
                + (outcome.logFile.map(layout.display) ?? "-"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
