public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning

/// How many builds run at once: `-j N` wins; else make's `-jN` from MAKEFLAGS (a bare `make -j`
/// means no limit); else the number of processors. Never more than the number of builds.
package enum ConcurrencyLimit {
    /// nil means unlimited.
    package static func makeJobs(_ makeflags: String?) -> Int?? {
        guard let makeflags, !makeflags.isEmpty else { return .none }
        for word in makeflags.split(separator: " ") where word.hasPrefix("-j") {
            let digits = word.dropFirst(2)
            if digits.isEmpty { return .some(nil) }
            if let n = Int(digits), n > 0 { return .some(n) }
        }
        return .none
    }

    package static func resolve(explicit: Int?, makeflags: String?, builds: Int, processors: Int) -> Int {
        let limit: Int?
        if let explicit { limit = explicit } else if let fromMake = makeJobs(makeflags) { limit = fromMake } else { limit = processors }
        return max(1, min(builds, limit ?? builds))
    }
}
