/// The timeline's time axis: seconds to pixels, and ticks at a round step (at most ten).
struct TimelineAxis {
    static let steps: [Double] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 28800, 86400]

    let total: Double
    let width: Double
    let step: Double

    init(total: Double, width: Double) {
        self.total = total
        self.width = width
        step = Self.steps.first { total / $0 <= 10 } ?? (total / 10).rounded(.up)
    }

    /// Pixels from the axis' start.
    func x(_ seconds: Double) -> Double { seconds / total * width }

    func svg(x left: Double, top: Double, y: Double) -> [String] {
        func n(_ value: Double, _ places: Int = 2) -> String { TimelineSVG.n(value, places) }
        var lines = [
            ##"<g class="axis" data-px-per-second="\##(n(width / total, 6))">"##,
            ##"<line x1="\##(n(left))" y1="\##(n(y))" x2="\##(n(left + width))" y2="\##(n(y))" stroke="#555555"/>"##,
        ]
        var tick = 0.0
        while tick <= total + 1e-9 {
            let tx = left + x(tick)
            lines.append(##"<line x1="\##(n(tx))" y1="\##(n(top))" x2="\##(n(tx))" y2="\##(n(y + 4))" stroke="#e3e3e3"/>"##)
            lines.append(
                ##"<text class="tick" x="\##(n(tx))" y="\##(n(y + 17))" font-size="11" text-anchor="middle">\##(Self.duration(tick))</text>"##)
            tick += step
        }
        lines.append("</g>")
        return lines
    }

    /// `0s`, `45s`, `2m`, `2m30s`, `1h`, `1h05m`; under a minute with a tenth when not whole.
    static func duration(_ seconds: Double) -> String {
        if seconds < 60 {
            let tenths = (seconds * 10).rounded()
            return tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10))s" : "\(TimelineSVG.n(tenths / 10, 1))s"
        }
        let whole = Int(seconds.rounded())
        if whole < 3600 {
            let (m, s) = (whole / 60, whole % 60)
            return s == 0 ? "\(m)m" : "\(m)m\(s < 10 ? "0" : "")\(s)s"
        }
        let (h, m) = (whole / 3600, whole % 3600 / 60)
        return m == 0 ? "\(h)h" : "\(h)h\(m < 10 ? "0" : "")\(m)m"
    }
}
