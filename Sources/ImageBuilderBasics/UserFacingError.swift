/// An error the entry point can show: a one-line message, optional detail lines and a hint.
///
/// Library code never prints and never exits; only the CLI's entry point turns these into
/// stderr text and an exit status (house-style §5.3).
package protocol UserFacingError: Error, CustomStringConvertible, Sendable {
    /// The process exit status this error maps to.
    var exitStatus: ExitStatus { get }
    /// Extra lines shown indented under the message.
    var details: [String] { get }
    /// The next step for the user, if there is one.
    var hint: String? { get }
}

extension UserFacingError {
    package var details: [String] { [] }
    package var hint: String? { nil }
}

/// "This cannot happen": maps to exit 70 and asks for a report.
package struct InternalError: UserFacingError {
    package let message: String
    package let file: String
    package let line: Int

    package init(_ message: String, file: String = #fileID, line: Int = #line) {
        self.message = message
        self.file = file
        self.line = line
    }

    package var description: String { "internal error: \(message) (\(file):\(line))" }
    package var exitStatus: ExitStatus { .internalError }
    package var hint: String? { "this is a bug in image-builder; please report it with the command you ran" }
}

/// Several independent errors found in one pass (for example one per target); the first decides
/// the exit status, and each is reported on its own line.
package struct ErrorList: UserFacingError {
    package let errors: [any UserFacingError]

    package init(_ errors: [any UserFacingError]) { self.errors = errors }

    package var description: String { errors.first.map { "\($0)" } ?? "no error" }
    package var exitStatus: ExitStatus { errors.map(\.exitStatus.code).max().flatMap(ExitStatus.init(rawValue:)) ?? .badInput }
    package var details: [String] { errors.dropFirst().map { "\($0)" } }
    package var hint: String? { errors.first?.hint }
}
