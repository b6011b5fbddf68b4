import Foundation
public import ImageBuilderConfig
public import ImageBuilderPacker

extension ISODatastore {
    /// The template with the build's builder taking its ISO from the datastore: `iso_paths` set,
    /// `iso_url`, `iso_urls` and `iso_checksum` removed (packer downloads and uploads nothing).
    package func derive(_ bytes: [UInt8], builder: String, path: String) throws(PackerError) -> String {
        guard var template = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            var builders = template["builders"] as? [[String: Any]],
            let index = builders.firstIndex(where: { $0["name"] as? String == builder })
        else {
            throw PackerError.invalidTemplate(path: path, reason: "no builder named '\(builder)' to give the datastore ISO")
        }
        for key in ["iso_url", "iso_urls", "iso_checksum"] { builders[index][key] = nil }
        // The path itself comes as `-var iso_datastore_path=…` on packer's command line.
        builders[index]["iso_paths"] = ["{{user `iso_datastore_path`}}"]
        template["builders"] = builders
        var variables = template["variables"] as? [String: Any] ?? [:]
        if variables["iso_datastore_path"] == nil { variables["iso_datastore_path"] = "" }
        template["variables"] = variables
        guard let data = try? JSONSerialization.data(withJSONObject: template, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { throw PackerError.invalidTemplate(path: path, reason: "cannot be written back") }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
