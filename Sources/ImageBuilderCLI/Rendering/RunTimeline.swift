import ImageBuilderKit

#if canImport(Glibc)
    import Glibc
#endif

/// Where a build run leaves its report and its timeline picture: `run-<run-id>.json` and
/// `run-<run-id>.svg` in the log folder. JSON gives every Double back exactly, so
/// `image-builder report` on that file draws the same bytes.
enum RunTimeline {
    /// Writes both files; returns the SVG's path.
    static func write(_ report: RunReport, to folder: String) throws -> String {
        try FileWriter.makeDirectory(folder)
        let base = folder + "/run-" + report.runID
        try FileWriter.write(try report.json(), to: base + ".json", mode: 0o644)
        try FileWriter.write(TimelineSVG.render(report), to: base + ".svg", mode: 0o644)
        return base + ".svg"
    }

    /// Now, UTC, to the second: `2026-12-06T17:30:05Z`.
    static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
