import ImageBuilderKit
import Synchronization

/// Shows a run as it goes, on stderr: a board redrawn a few times a second on a terminal, plain
/// `[target] line` prefixes otherwise (CI, logs). Full output is in the per-build log files.
final class Progress: Sendable {
    private struct Row {
        var state = "queued"
        var stage = ""
        var last = ""
        var started: ContinuousClock.Instant?
        var ended: ContinuousClock.Instant?
    }

    private let sink: OutputSink
    private let board: Bool
    private let targets: [String]
    private let rows: Mutex<[String: Row]>
    private let drawn = Mutex<Int>(0)
    /// While a prompt owns the terminal, plain lines wait here.
    private let held = Mutex<(paused: Bool, lines: [String])>((false, []))

    private init(sink: OutputSink, board: Bool, targets: [String]) {
        self.sink = sink
        self.board = board
        self.targets = targets
        rows = Mutex(Dictionary(uniqueKeysWithValues: targets.map { ($0, Row()) }))
    }

    /// A board on a terminal (unless `plain`: prompts own the terminal), else plain lines.
    static func make(for context: CommandContext, targets: [String], plain: Bool = false) -> Progress {
        let term = context.environment["TERM"] ?? ""
        return Progress(sink: context.errors, board: !plain && context.errors.isTerminal && term != "dumb", targets: targets)
    }

    func pause() { held.withLock { $0.paused = true } }

    func resume() {
        let lines = held.withLock { state -> [String] in
            state.paused = false
            defer { state.lines = [] }
            return state.lines
        }
        for line in lines { sink.line(line) }
    }

    /// A plain line, or held while a prompt is open.
    private func emit(_ line: String) {
        let shown = held.withLock { state -> Bool in
            if state.paused {
                state.lines.append(line)
                return false
            }
            return true
        }
        if shown { sink.line(line) }
    }

    var observe: BuildObserver { { [self] event in handle(event) } }

    private func handle(_ event: BuildEvent) {
        let now = ContinuousClock.now
        switch event {
        case .scheduled(let target):
            rows.withLock { $0[target]?.state = "preparing" }
        case .waiting(let target, let reason):
            rows.withLock {
                $0[target]?.state = "waiting"
                $0[target]?.last = "waiting: " + reason
            }
            if !board { emit("[\(target)] waiting: \(reason)") }
        case .started(let target, let log):
            rows.withLock {
                $0[target]?.state = "running"
                $0[target]?.started = now
            }
            if !board { emit("[\(target)] started (log: \(log))") }
        case .stage(let target, let stage):
            rows.withLock { $0[target]?.stage = stage }
        case .line(let target, let line):
            rows.withLock { $0[target]?.last = line }
            if !board { emit("[\(target)] \(line)") }
        case .finished(let outcome):
            rows.withLock {
                $0[outcome.target]?.state = outcome.result.rawValue
                $0[outcome.target]?.ended = now
                if let message = outcome.message { $0[outcome.target]?.last = message }
            }
            if !board {
                let code = outcome.exitCode.map { " (exit \($0))" } ?? ""
                emit("[\(outcome.target)] \(outcome.result.rawValue)\(code)" + (outcome.message.map { ": \($0)" } ?? ""))
            }
        }
    }

    /// Runs `work`, redrawing the board (on a terminal) about 4 times a second meanwhile.
    func during<T: Sendable>(_ work: () async -> T) async -> T {
        guard board else { return await work() }
        let redraw = Task { [self] in
            while !Task.isCancelled {
                draw()
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        let result = await work()
        redraw.cancel()
        _ = await redraw.result
        draw()
        return result
    }

    private func draw() {
        let now = ContinuousClock.now
        let snapshot = rows.withLock { $0 }
        let width = min(44, (targets.map(\.count).max() ?? 10) + 1)
        var text = ""
        let previous = drawn.withLock { count in
            defer { count = targets.count }
            return count
        }
        if previous > 0 { text += "\u{1B}[\(previous)A" }
        for target in targets {
            let row = snapshot[target] ?? Row()
            var elapsed = ""
            if let started = row.started {
                let seconds = Int(((row.ended ?? now) - started).components.seconds)
                elapsed = "\(seconds / 60):" + (seconds % 60 < 10 ? "0" : "") + "\(seconds % 60)"
            }
            let line = target.padding(width) + row.state.padding(11) + elapsed.padding(7) + (row.stage.isEmpty ? row.last : row.stage)
            text += "\u{1B}[2K" + String(line.prefix(160)) + "\n"
        }
        sink.write(text)
    }
}
