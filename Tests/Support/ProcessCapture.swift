import ImageBuilderKit
import Subprocess
import SystemPackage

/// Runs a real program to the end and captures its output (tests only).
package struct Captured: Sendable {
    package let status: Int32
    package let stdout: String
    package let stderr: String
}

package enum ProcessCapture {
    package static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        workingDirectory: String? = nil, input: String? = nil
    ) async throws -> Captured {
        var env: Environment = .inherit
        if let environment {
            var custom: [Environment.Key: String] = [:]
            for (k, v) in environment { custom[Environment.Key(stringLiteral: k)] = v }
            env = .custom(custom)
        }
        let exe: Executable = executable.contains("/") ? .path(FilePath(executable)) : .name(executable)
        let result = try await Subprocess.run(
            exe, arguments: Arguments(arguments), environment: env,
            workingDirectory: workingDirectory.map { FilePath($0) },
            input: .string(input ?? ""),
            output: .string(limit: 16 << 20), error: .string(limit: 16 << 20))
        let code: Int32 = switch result.terminationStatus { case .exited(let c): c; case .signaled(let s): 128 + s }
        return Captured(status: code, stdout: result.standardOutput, stderr: result.standardError)
    }
}
