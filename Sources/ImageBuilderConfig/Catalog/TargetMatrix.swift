public import ImageBuilderBasics

/// Every target that exists, as `image-builder list` and `make help` show it.
package struct TargetMatrix: Sendable {
    package let catalog: Catalog

    package init(catalog: Catalog) { self.catalog = catalog }

    /// One row of the listing.
    package struct Row: Sendable, Codable, Equatable {
        package let target: String
        package let verb: Verb
        package let family: Family
        /// nil for `…-all`.
        package let os: String?
        package let description: String
    }

    /// For each verb, for each family: its OSes in catalog order, then `…-all`.
    package func rows() -> [Row] {
        var rows: [Row] = []
        for verb in Verb.allCases {
            for family in Family.allCases {
                for entry in catalog.systems(in: family) {
                    let target = Target(family: family, os: entry.name)
                    rows.append(
                        Row(
                            target: target.name(verb), verb: verb, family: family, os: entry.name,
                            description: "\(entry.displayName): \(verb.summary(family))"))
                }
                rows.append(
                    Row(
                        target: "\(verb.rawValue)-node-ova-\(family.rawValue)-all", verb: verb, family: family,
                        os: nil, description: "every OS: \(verb.summary(family))"))
            }
        }
        return rows
    }

    /// Target names, with a verb prefix or bare.
    package func names(verb: Verb?) -> [String] {
        rows().filter { verb == nil ? $0.verb == .build : $0.verb == verb }.map {
            verb == nil ? String($0.target.dropFirst("build-".count)) : $0.target
        }
    }

    /// The text listing: the target padded to 48 columns, then its description.
    package func text() -> String {
        rows().map { row in
            let pad = max(1, 48 - row.target.count)
            return row.target + String(repeating: " ", count: pad) + row.description
        }.joined(separator: "\n") + "\n"
    }
}
