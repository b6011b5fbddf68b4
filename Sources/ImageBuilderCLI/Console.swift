import ImageBuilderKit

/// Turns errors into what the user sees: one line, then indented details and a hint.
enum Console {
    static func report(_ error: any UserFacingError, to sink: OutputSink) {
        if let list = error as? ErrorList {
            for item in list.errors { report(item, to: sink) }
            return
        }
        sink.line("image-builder: error: " + oneLine("\(error)"))
        for detail in error.details { sink.line("  " + oneLine(detail)) }
        if let hint = error.hint { sink.line("  hint: " + oneLine(hint)) }
    }

    /// Keeps a message on one line whatever a file or value held.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
