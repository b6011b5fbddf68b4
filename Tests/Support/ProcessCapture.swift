import ImageBuilderKit
import Subprocess
import Synchronization
import SystemPackage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

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
        let code: Int32 =
            switch result.terminationStatus {
            case .exited(let c): c
            case .signaled(let s): 128 + s
            }
        let captured = Captured(status: code, stdout: result.standardOutput, stderr: result.standardError)
        SuiteCaptures.record([executable] + arguments, environment: environment ?? [:], captured)
        return captured
    }
}

/// Under `make test` (IB_TEST_CAPTURES set), every byte the suite captures — arguments, output,
/// errors — is kept, and every secret a test hands a program is registered; after the suite,
/// hack/scan-captures.sh looks for any of those secrets (or their base64) in the captures.
package enum SuiteCaptures {
    static let directory = ProcessInfo.processInfo.environment["IB_TEST_CAPTURES"].flatMap { $0.isEmpty ? nil : $0 }
    static let secretNames: Set<String> = [
        "SSH_PASSWORD", "VSPHERE_PASSWORD", "RHSM_USER", "RHSM_PASS", "OS_PASSWORD", "OS_APPLICATION_CREDENTIAL_SECRET", "OS_TOKEN",
        "MAAS_API_KEY", "ESXI_ROOT_PASSWORD", "ONE_AUTH", "WINDOWS_ADMIN_PASSWORD",
    ]
    private static let lock = Mutex<Int>(0)

    static func record(_ argv: [String], environment: [String: String], _ captured: Captured) {
        guard let directory else { return }
        let secrets = environment.filter { secretNames.contains($0.key) }.map(\.value)
        registerSecrets(secrets)
        let text = "$ " + argv.joined(separator: " ") + "\n" + captured.stdout + "\n" + captured.stderr + "\n"
        lock.withLock { _ in append(text, to: directory + "/captures-\(getpid()).txt") }
    }

    /// A test's repository copy: after the suite every file under its output/ is scanned too.
    package static func registerRoot(_ root: String) {
        guard let directory else { return }
        lock.withLock { _ in append(root + "\n", to: directory + "/roots.txt") }
    }

    /// Secrets handed to programs some other way (a var file's password).
    package static func registerSecrets(_ secrets: [String]) {
        guard let directory, !secrets.isEmpty else { return }
        lock.withLock { _ in append(secrets.map { $0 + "\n" }.joined(), to: directory + "/secrets.txt") }
    }

    private static func append(_ text: String, to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = Array(text.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
