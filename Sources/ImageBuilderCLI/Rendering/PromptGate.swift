import Dispatch
import ImageBuilderKit

#if canImport(Glibc)
    import Glibc
#endif

/// One prompt at a time on the user's terminal (goal M8): while a build asks, the other builds'
/// output waits; the user sees which build asks and why, and the answer goes to that build only.
actor PromptGate {
    private let progress: Progress
    private let terminal: OutputSink
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(progress: Progress, terminal: OutputSink) {
        self.progress = progress
        self.terminal = terminal
    }

    func ask(_ label: String, _ prompt: String) async -> String {
        while busy { await withCheckedContinuation { waiters.append($0) } }
        busy = true
        progress.pause()
        terminal.write("\n[\(label)] packer asks: \(prompt)\n[\(label)] answer: ")
        let answer = await PromptGate.readLine()
        progress.resume()
        busy = false
        if !waiters.isEmpty { waiters.removeFirst().resume() }
        return answer
    }

    /// A line from standard input (the user's terminal); "c" (clean up, packer's own default)
    /// if it is closed.
    private static func readLine() async -> String {
        await DispatchTaskExecutor.blocking {
            var bytes: [UInt8] = []
            var byte: UInt8 = 0
            while read(0, &byte, 1) == 1 {
                if byte == 0x0A { return String(decoding: bytes, as: UTF8.self).trimmingCharacters() }
                bytes.append(byte)
            }
            return bytes.isEmpty ? "c" : String(decoding: bytes, as: UTF8.self).trimmingCharacters()
        }
    }
}
