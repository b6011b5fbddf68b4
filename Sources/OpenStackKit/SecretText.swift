/// A password, application credential secret or token: printed, logged or interpolated it shows
/// as `<redacted>`; `reveal` is for the request body or header that needs it.
public struct SecretText: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String

    public init(_ value: String) { self.value = value }

    public var reveal: String { value }
    public var isEmpty: Bool { value.isEmpty }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
}
