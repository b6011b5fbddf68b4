public import ImageBuilderConfig

/// An ISO's published checksum: `sha256:HEX`, `sha512:HEX`, or bare hex whose length says
/// which (64 or 128 digits). Photon publishes SHA-512.
package struct ISOChecksum: Sendable, Codable, Equatable {
    package enum Algorithm: String, Sendable, Codable { case sha256, sha512 }
    package let algorithm: Algorithm
    /// Lower-case hex.
    package let hex: String

    /// nil for anything else (`file:` checksums, `none`, malformed hex).
    package init?(_ text: String) {
        let lower = text.lowercased()
        var algorithm: Algorithm?
        var hex = lower
        for candidate in [Algorithm.sha256, .sha512] where lower.hasPrefix(candidate.rawValue + ":") {
            algorithm = candidate
            hex = String(lower.dropFirst(candidate.rawValue.count + 1))
        }
        if algorithm == nil { algorithm = hex.count == 64 ? .sha256 : hex.count == 128 ? .sha512 : nil }
        guard let algorithm, hex.count == (algorithm == .sha256 ? 64 : 128), hex.allSatisfy(\.isHexDigit) else { return nil }
        self.algorithm = algorithm
        self.hex = hex
    }

    /// `sha256:…` or `sha512:…`.
    package var description: String { algorithm.rawValue + ":" + hex }
}

/// An ISO to fetch into the cache: from `url` to `path`, verified against `checksum`.
package struct ISODownload: Sendable, Codable, Equatable {
    package let url: String
    package let path: String
    package let checksum: ISOChecksum
}

/// The ISO cache: `output/.cache/iso/<algorithm>-<hex>.iso`, keyed by the published checksum
/// (a sha256-keyed entry keeps its old name, `<hex>.iso`).
package enum ISOCache {
    /// Where an http(s) ISO with a checksum is cached; nil when the cache does not apply.
    package static func plan(url: String, checksum: String, layout: RepoLayout) -> ISODownload? {
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), let sum = ISOChecksum(checksum) else { return nil }
        let name = sum.algorithm == .sha256 ? sum.hex : "sha512-" + sum.hex
        return ISODownload(url: url, path: layout.outputDirectory + "/.cache/iso/" + name + ".iso", checksum: sum)
    }
}
