public import ImageBuilderBasics
import ImageBuilderConfig
public import MAASKit

/// Where MAAS is and the key, configured like the maas CLI: `MAAS_URL` and `MAAS_API_KEY`
/// (`MAAS_CA_FILE`, `MAAS_INSECURE`), or a var file with `maas_url`, `maas_api_key`,
/// `maas_ca_file`, `maas_insecure`; the environment wins.
package enum MAASSettings {
    package static func resolve(_ environment: RunEnvironment, varFile: String?) throws -> (MAASCredentials, MAASHTTP.Trust) {
        var values: [String: (String, String)] = [:]
        if let varFile {
            let path = environment.absolute(varFile)
            let (bytes, _) = try VarFileLoader.read(path, limit: 1 << 20, origin: "--var-file")
            let json: JSONValue
            do { json = try JSONParser.parse(bytes) } catch { throw MAASPublishError.invalidInput(path: path, reason: "not valid JSON: \(error)") }
            guard case .object = json else { throw MAASPublishError.invalidInput(path: path, reason: "not a JSON object") }
            for key in ["maas_url", "maas_api_key", "maas_ca_file", "maas_insecure"] {
                if case .string(let text)? = json[key] { values[key] = (text, path) }
            }
        }
        for (variable, key) in [
            ("MAAS_URL", "maas_url"), ("MAAS_API_KEY", "maas_api_key"), ("MAAS_CA_FILE", "maas_ca_file"), ("MAAS_INSECURE", "maas_insecure"),
        ] {
            if let text = environment[variable], !text.isEmpty { values[key] = (text, "environment") }
        }
        guard let url = values["maas_url"] else {
            throw MAASPublishError.invalidInput(path: "environment", reason: "MAAS_URL is not set (the region's URL, such as http://maas:5240/MAAS/)")
        }
        guard let key = values["maas_api_key"] else {
            throw MAASPublishError.invalidInput(path: "environment", reason: "MAAS_API_KEY is not set (`maas apikey --username ADMIN` prints one)")
        }
        let credentials: MAASCredentials
        do { credentials = try MAASCredentials(url: url.0, apiKey: key.0, origin: (url.1, key.1)) } catch { throw MAASPublishError.maas(error) }
        if let insecure = values["maas_insecure"], ["true", "1", "yes"].contains(insecure.0.lowercased()) { return (credentials, .insecure) }
        if let ca = values["maas_ca_file"] { return (credentials, .caFile(environment.absolute(ca.0))) }
        return (credentials, .system)
    }
}
