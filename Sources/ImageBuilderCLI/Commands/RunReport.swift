import ImageBuilderKit

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The JSON form of a run: `--report FILE`, and `output/logs/run-<run-id>.json` beside the
/// run's timeline picture, which `image-builder report` draws again from it.
struct RunReport: Codable {
    let runID: String
    /// When the run started, UTC, ISO 8601 to the second.
    let startedAt: String
    /// The run's wall time.
    let seconds: Double
    let jobs: Int
    let exitCode: Int32
    let interrupted: Bool
    /// This process's own CPU time (user + system), children excluded (goal P3).
    let orchestratorCPUSeconds: Double
    /// In the order of the run's targets (the catalog's, for `…-all`), each with its stages.
    let builds: [RunOutcome]
    /// ISO bytes this run uploaded to vCenter's datastores (the ISO cache; goal P6).
    let isoBytesUploaded: Int64

    /// The text written to files; `decode(encode(r))` gives `r` back exactly (Doubles too).
    func json() throws -> String { try JSONText.encode(self) }

    /// A report read back; bad input names the file and, where there is one, the key.
    static func read(_ path: String) throws -> RunReport {
        let bytes = try VarFileLoader.read(path, limit: 64 << 20, origin: "image-builder report").bytes
        do {
            return try JSONDecoder().decode(RunReport.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw ReportFileError(path: path, problem: Self.describe(error))
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func key(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .keyNotFound(let missing, let context): return "key \(key(context.codingPath + [missing])) is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "key \(key(context.codingPath)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not JSON" : "key \(key(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "not a run report"
        }
    }
}

/// A report file that is not one (exit 2).
struct ReportFileError: UserFacingError {
    let path: String
    let problem: String
    var exitStatus: ExitStatus { .badInput }
    var description: String { "\(path): not a run report of image-builder: \(problem)" }
}
