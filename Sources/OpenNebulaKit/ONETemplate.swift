import Foundation

/// OpenNebula's template syntax: `NAME = "value"` lines and vector attributes
/// `DISK = [ IMAGE = "x", DEV_PREFIX = "sd" ]`. Every value is double-quoted with `\` and `"`
/// escaped, so quotes, backslashes and newlines in a value survive as they are.
public struct ONETemplate: Sendable, Equatable {
    public enum Attribute: Sendable, Equatable {
        case single(String, String)
        case vector(String, [(String, String)])

        public static func == (a: Attribute, b: Attribute) -> Bool {
            switch (a, b) {
            case (.single(let k1, let v1), .single(let k2, let v2)): k1 == k2 && v1 == v2
            case (.vector(let k1, let p1), .vector(let k2, let p2)):
                k1 == k2 && p1.count == p2.count && zip(p1, p2).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            default: false
            }
        }
    }

    public var attributes: [Attribute] = []

    public init(_ attributes: [Attribute] = []) { self.attributes = attributes }

    public mutating func set(_ key: String, _ value: String) { attributes.append(.single(key, value)) }
    public mutating func vector(_ key: String, _ pairs: [(String, String)]) { attributes.append(.vector(key, pairs)) }

    /// The value of a single attribute.
    public func value(_ key: String) -> String? {
        for case .single(let name, let value) in attributes where name == key { return value }
        return nil
    }

    public static func quote(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    public var text: String {
        attributes.map { attribute in
            switch attribute {
            case .single(let key, let value): "\(key) = \(Self.quote(value))"
            case .vector(let key, let pairs):
                "\(key) = [\n" + pairs.map { "  \($0.0) = \(Self.quote($0.1))" }.joined(separator: ",\n") + " ]"
            }
        }.joined(separator: "\n") + "\n"
    }
}
