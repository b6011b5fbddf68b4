import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A MAAS API key (`consumer_key:token_key:token_secret`, as `maas apikey` prints it) and the
/// region's URL; requests are signed OAuth 1.0 PLAINTEXT, each just before it is sent.
public struct MAASCredentials: Sendable, Equatable, CustomStringConvertible {
    public let url: String
    public let consumerKey: String
    public let tokenKey: String
    private let tokenSecret: String

    /// `url` is the region's (`http://host:5240/MAAS/`, with or without `api/2.0/`); `origin`
    /// names where the key came from in errors.
    public init(url: String, apiKey: String, origin: (url: String, key: String)) throws(MAASError) {
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw .configuration(file: origin.url, key: "MAAS_URL", reason: "not an http(s) URL: '\(url)'")
        }
        let parts = apiKey.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
            throw .configuration(
                file: origin.key, key: "MAAS_API_KEY", reason: "not a MAAS API key (three parts: consumer:token:secret, as `maas apikey` prints)")
        }
        var base = url
        while base.hasSuffix("/") { base.removeLast() }
        if base.hasSuffix("/api/2.0") { base.removeLast("/api/2.0".count) }
        self.url = base
        (consumerKey, tokenKey, tokenSecret) = (parts[0], parts[1], parts[2])
    }

    /// `…/api/2.0/`.
    public var apiRoot: String { url + "/api/2.0/" }

    /// The scheme and authority of the URL (upload URIs from MAAS are absolute paths).
    public var origin: String {
        let scheme = url.hasPrefix("https://") ? "https://" : "http://"
        return scheme + String(url.dropFirst(scheme.count).prefix { $0 != "/" })
    }

    public var description: String { "MAASCredentials(\(url), consumer \(consumerKey), token <redacted>)" }

    /// The secret, for a caller that scrubs output.
    public var secrets: [String] { [tokenKey, tokenSecret] }

    /// `Authorization: OAuth …` for one request, made now (MAAS refuses timestamps older than 300 s).
    public func authorization(nonce: String = MAASCredentials.nonce(), timestamp: Int? = nil) -> String {
        let timestamp = timestamp ?? Int(time(nil))
        let parameters = [
            ("oauth_nonce", nonce), ("oauth_timestamp", String(timestamp)), ("oauth_version", "1.0"),
            ("oauth_signature_method", "PLAINTEXT"), ("oauth_consumer_key", consumerKey), ("oauth_token", tokenKey),
            // PLAINTEXT: the consumer secret (empty for MAAS) & the token secret.
            ("oauth_signature", "&" + Self.escape(tokenSecret)),
        ]
        return "OAuth " + parameters.map { "\($0.0)=\"\(Self.escape($0.1))\"" }.joined(separator: ", ")
    }

    public static func nonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<24).map { _ in Array("0123456789abcdefghijklmnopqrstuvwxyz")[Int(generator.next() % 36)] })
    }

    /// RFC 5849 percent-encoding: unreserved characters stay, everything else is %XX.
    static func escape(_ text: String) -> String {
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
