import ImageBuilderKit
import OVAKit

/// The run's timeline as a self-contained SVG (no script, no external font, image or link): a
/// row per build in the report's order, its stages as coloured spans on one time axis, its
/// result at the end of the row, ticks and a legend. Row height and font are fixed; the canvas
/// grows with the number of builds. The same report always gives the same bytes.
enum TimelineSVG {
    static let margin = 16.0
    static let titleHeight = 30.0
    static let rowHeight = 22.0
    static let labelWidth = 240.0
    static let chartWidth = 800.0
    static let resultWidth = 190.0
    /// Monospace at 12 px: about 7.2 px a character.
    static let labelChars = 32
    static let resultChars = 25
    static var chartX: Double { margin + labelWidth + 8 }
    static var width: Double { chartX + chartWidth + 12 + resultWidth + margin }

    static func render(_ report: RunReport) -> String {
        let rows = report.builds
        let total = max(1, rows.flatMap(\.stages).map(\.end).max() ?? 0, report.seconds)
        let axis = TimelineAxis(total: total, width: chartWidth)
        let top = margin + titleHeight
        let axisY = top + Double(rows.count) * rowHeight + 6
        let legendY = axisY + 34
        let height = legendY + 20 + margin
        var svg = [
            ##"<?xml version="1.0" encoding="UTF-8"?>"##,
            ##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(n(width))" height="\##(n(height))" viewBox="0 0 \##(n(width)) \##(n(height))" font-family="DejaVu Sans Mono, monospace" font-size="12">"##,
            ##"<rect width="100%" height="100%" fill="#ffffff"/>"##,
            ##"<text class="title" x="\##(n(margin))" y="\##(n(margin + 14))" font-size="13">\##(escape(title(report)))</text>"##,
        ]
        // The axis first: its grid lines stay behind the spans.
        svg += axis.svg(x: chartX, top: top, y: axisY)
        for (index, build) in rows.enumerated() {
            svg += row(build, y: top + Double(index) * rowHeight, axis: axis, interrupted: report.interrupted)
        }
        svg += legend(y: legendY)
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    static func title(_ report: RunReport) -> String {
        let count = report.builds.count
        return "run \(report.runID) · started \(report.startedAt) · \(count) build\(count == 1 ? "" : "s") · -j\(report.jobs) · "
            + "\(TimelineAxis.duration(report.seconds)) · exit \(report.exitCode)"
    }

    static func row(_ build: RunOutcome, y: Double, axis: TimelineAxis, interrupted: Bool) -> [String] {
        let shown = build.target.hasPrefix("build-") ? String(build.target.dropFirst(6)) : build.target
        var lines = [
            ##"<g class="row" data-target="\##(escape(build.target))" data-result="\##(build.result.rawValue)">"##,
            ##"<title>\##(escape(build.target))</title>"##,
            ##"<text class="label" x="\##(n(margin))" y="\##(n(y + 15))">\##(escape(shorten(shown, to: labelChars)))</text>"##,
        ]
        for span in build.stages where span.end > span.start {
            let x = chartX + axis.x(span.start)
            let width = axis.x(span.end) - axis.x(span.start)
            let fill = color(span.kind)
            lines.append(
                ##"<rect class="span" data-kind="\##(span.kind.rawValue)" data-start="\##(n(span.start, 6))" data-end="\##(n(span.end, 6))" x="\##(n(x))" y="\##(n(y + 4))" width="\##(n(width))" height="14" fill="\##(fill)"><title>\##(escape(span.name)): \##(TimelineAxis.duration(span.seconds))</title></rect>"##
            )
            let room = Int((width - 6) / 6.6)
            if room >= 4 {
                let ink = [.packer, .stalled, .after].contains(span.kind) ? "#ffffff" : "#1a1a1a"
                lines.append(
                    ##"<text class="stage" x="\##(n(x + 3))" y="\##(n(y + 15))" font-size="11" fill="\##(ink)">\##(escape(cut(span.name, to: room)))</text>"##
                )
            }
        }
        let (label, ink) = result(build, interrupted: interrupted)
        lines.append(
            ##"<text class="result" x="\##(n(chartX + chartWidth + 12))" y="\##(n(y + 15))" fill="\##(ink)">\##(escape(shorten(label, to: resultChars)))</text>"##
        )
        lines.append("</g>")
        return lines
    }

    /// The words at the end of a build's row, and their colour.
    static func result(_ build: RunOutcome, interrupted: Bool) -> (String, String) {
        let time = TimelineAxis.duration(build.seconds)
        if build.stall != nil { return ("stalled, \(time)", "#c62828") }
        switch build.result {
        case .succeeded: return ("succeeded, \(time)", "#2e7d32")
        case .failed: return ("failed (exit \(build.exitCode.map(String.init) ?? "-")), \(time)", "#c62828")
        case .cancelled: return (interrupted ? "interrupted, \(time)" : "cancelled, \(time)", "#6d4c41")
        case .notStarted: return ("not started", "#616161")
        }
    }

    static func legend(y: Double) -> [String] {
        var lines = [##"<g class="legend">"##]
        var x = chartX
        for kind in StageSpan.Kind.allCases {
            lines.append(##"<rect x="\##(n(x))" y="\##(n(y))" width="12" height="12" fill="\##(color(kind))"/>"##)
            lines.append(##"<text x="\##(n(x + 17))" y="\##(n(y + 10))" font-size="11">\##(legendName(kind))</text>"##)
            x += 17 + Double(legendName(kind).count) * 6.6 + 20
        }
        lines.append("</g>")
        return lines
    }

    static func legendName(_ kind: StageSpan.Kind) -> String {
        switch kind {
        case .queued: "queued (-j)"
        case .waiting: "waiting (base, slot)"
        case .preparing: "preparing"
        case .packer: "packer stage"
        case .stalled: "stalled"
        case .after: "after packer"
        }
    }

    static func color(_ kind: StageSpan.Kind) -> String {
        switch kind {
        case .queued: "#d0d4da"
        case .waiting: "#f2c14e"
        case .preparing: "#8fb8de"
        case .packer: "#2f6db3"
        case .stalled: "#d64545"
        case .after: "#3f9d6b"
        }
    }

    /// `text` in at most `count` characters, its start kept: a stage's name says most first.
    static func cut(_ text: String, to count: Int) -> String {
        guard text.count > count, count >= 2 else { return text }
        return String(text.prefix(count - 1)) + "…"
    }

    /// `text` in at most `count` characters: the middle gives way to `…` (a target's OS is at
    /// its end).
    static func shorten(_ text: String, to count: Int) -> String {
        guard text.count > count, count >= 2 else { return text }
        let tail = (count - 1) / 2
        return String(text.prefix(count - 1 - tail)) + "…" + String(text.suffix(tail))
    }

    /// A number with at most `places` decimals and no trailing zeros, the same on every machine.
    static func n(_ value: Double, _ places: Int = 2) -> String {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = Int64((value * Double(scale)).rounded())
        let sign = scaled < 0 ? "-" : ""
        let magnitude = scaled.magnitude
        let whole = magnitude / UInt64(scale)
        var digits = String(magnitude % UInt64(scale))
        guard digits != "0" else { return sign + String(whole) }
        digits = String(repeating: "0", count: places - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return sign + String(whole) + "." + digits
    }

    /// XML text and attribute values (OVAKit's escaping).
    static func escape(_ text: String) -> String { OVFDescriptor.escape(text) }
}
