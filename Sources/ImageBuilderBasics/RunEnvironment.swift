#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What one invocation sees of the outside world: its environment variables, its working
/// directory and its own executable. Passed explicitly so tests run in parallel in one process.
package struct RunEnvironment: Sendable {
    package var variables: [String: String]
    package var workingDirectory: String
    package var executablePath: String?

    package init(variables: [String: String], workingDirectory: String, executablePath: String? = nil) {
        self.variables = variables
        self.workingDirectory = workingDirectory
        self.executablePath = executablePath
    }

    /// The process's real environment.
    package static func current() -> RunEnvironment {
        let info = ProcessInfo.processInfo
        let cwd = FileManager.default.currentDirectoryPath
        var exe = CommandLine.arguments.first
        if let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { exe = link }
        return RunEnvironment(variables: info.environment, workingDirectory: cwd, executablePath: exe)
    }

    /// A variable's value; empty counts as unset (as in make).
    package subscript(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// Whether a toggle such as `ON_ERROR_ASK=1` is on.
    package func isOn(_ name: String) -> Bool {
        guard let value = self[name]?.lowercased() else { return false }
        return ["1", "true", "yes", "on"].contains(value)
    }

    /// A user-given path made absolute against the caller's working directory.
    package func absolute(_ path: String) -> String { Paths.absolute(path, relativeTo: workingDirectory) }
}
