public import ImageBuilderBasics
public import ImageBuilderConfig

/// A stage in which packer waits on the guest and prints nothing until it is over: where an
/// unattended install that hangs (a question on the console, a seed volume not found) leaves a
/// build sitting until `ip_wait_timeout` or `ssh_timeout`.
package enum WaitingStage: String, Sendable, Codable, CodingKeyRepresentable, CaseIterable {
    case ip, ssh, winrm, shutdown

    /// The waiting stage a packer stage line (`StageParser`'s text) begins, if any.
    package static func of(_ stage: String) -> WaitingStage? {
        let text = stage.lowercased()
        if text.hasPrefix("waiting for ip") { return .ip }
        if text.hasPrefix("waiting for ssh") { return .ssh }
        if text.hasPrefix("waiting for winrm") { return .winrm }
        if text.hasPrefix("waiting") || text.hasPrefix("please") {
            if text.contains("shutdown") || text.contains("shut down") { return .shutdown }
        }
        return nil
    }

    /// The environment variable that overrides the limit for this stage.
    package var variable: String { "IB_STALL_TIMEOUT_" + rawValue.uppercased() }
}

/// How long a build may sit in a waiting stage without output before the orchestrator diagnoses
/// it and stops it (`IB_STALL_TIMEOUT`, default 15 minutes; `IB_STALL_TIMEOUT_IP`, `_SSH`,
/// `_WINRM`, `_SHUTDOWN` per stage; 0 turns the watchdog, or one stage's, off).
package struct StallPolicy: Sendable, Codable, Equatable {
    /// Milliseconds per stage; 0 is off.
    package let limits: [WaitingStage: Int64]

    package static let defaultMilliseconds: Int64 = 15 * 60 * 1000

    package init(limits: [WaitingStage: Int64]) { self.limits = limits }

    /// The limit for `stage`, nil when it is off.
    package func limit(for stage: WaitingStage) -> Duration? {
        guard let milliseconds = limits[stage], milliseconds > 0 else { return nil }
        return .milliseconds(milliseconds)
    }

    /// Whether any stage is watched.
    package var isOff: Bool { limits.values.allSatisfy { $0 <= 0 } }

    /// For `plan`: `15m` or `ip 30m, ssh 15m, …`, or `off`.
    package var summary: String {
        if isOff { return "off" }
        let values = Set(limits.values)
        if values.count == 1, let only = values.first { return Self.format(only) }
        return WaitingStage.allCases.map { "\($0.rawValue) \(Self.format(limits[$0] ?? 0))" }.joined(separator: ", ")
    }

    /// Reads the policy from the environment; a value that is not a duration is exit 2 naming it.
    package static func from(_ environment: RunEnvironment) throws(ConfigError) -> StallPolicy {
        let general = try parse("IB_STALL_TIMEOUT", environment["IB_STALL_TIMEOUT"]) ?? defaultMilliseconds
        var limits: [WaitingStage: Int64] = [:]
        for stage in WaitingStage.allCases {
            limits[stage] = try parse(stage.variable, environment[stage.variable]) ?? general
        }
        return StallPolicy(limits: limits)
    }

    /// `15m`, `90s`, `1h30m`, `500ms`, or whole seconds; nil when unset or empty.
    static func parse(_ name: String, _ value: String?) throws(ConfigError) -> Int64? {
        guard let value, !value.isEmpty else { return nil }
        guard let milliseconds = Self.milliseconds(value) else {
            throw .invalidValue(
                source: "\(name) (environment)", key: name, value: value,
                allowed: "a duration such as 15m, 90s or 1h30m (whole seconds without a unit); 0 turns the watchdog off")
        }
        return milliseconds
    }

    static func milliseconds(_ text: String) -> Int64? {
        if let seconds = Int64(text), seconds >= 0 { return seconds * 1000 }
        var total: Int64 = 0
        var rest = Substring(text)
        let units: [(String, Int64)] = [("ms", 1), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let number = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let (unit, factor) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            let (product, overflow) = number.multipliedReportingOverflow(by: factor)
            guard !overflow else { return nil }
            total += product
        }
        return total
    }

    static func format(_ milliseconds: Int64) -> String {
        if milliseconds <= 0 { return "off" }
        if milliseconds % 60_000 == 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}
