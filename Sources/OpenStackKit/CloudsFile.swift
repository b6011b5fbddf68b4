import Foundation
import Yams

/// clouds.yaml and secure.yaml as openstacksdk finds them: `OS_CLIENT_CONFIG_FILE` (and
/// `OS_CLIENT_SECURE_FILE`), else the first of `./`, `$XDG_CONFIG_HOME/openstack/` (or
/// `~/.config/openstack/`) and `/etc/openstack/` that holds `clouds.yaml` (`.yml`, `.json`);
/// secure.yaml is found the same way and merged over it, key by key.
enum CloudsFile {
    /// Files larger than this are refused (a clouds.yaml is a few KiB).
    static let limit = 1 << 20

    static func searchDirectories(_ environment: [String: String], workingDirectory: String) -> [String] {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        return [workingDirectory, config + "/openstack", "/etc/openstack"]
    }

    static func find(_ base: String, override: String?, in directories: [String]) -> String? {
        if let override, !override.isEmpty { return override }
        for directory in directories {
            for ext in ["yaml", "yml", "json"] where FileManager.default.fileExists(atPath: "\(directory)/\(base).\(ext)") {
                return "\(directory)/\(base).\(ext)"
            }
        }
        return nil
    }

    /// The settings of cloud `name`.
    static func settings(cloud name: String, environment: [String: String], workingDirectory: String) throws(OpenStackError) -> CloudSettings {
        let directories = searchDirectories(environment, workingDirectory: workingDirectory)
        guard let cloudsPath = find("clouds", override: environment["OS_CLIENT_CONFIG_FILE"], in: directories) else {
            throw .configuration(
                file: "environment", key: "OS_CLOUD",
                reason: "'\(name)' is set but no clouds.yaml was found (looked in \(directories.joined(separator: ", ")))")
        }
        let clouds = try load(cloudsPath)
        guard let cloud = (clouds["clouds"] as? [String: Any])?[name] as? [String: Any] else {
            let names = (clouds["clouds"] as? [String: Any])?.keys.sorted() ?? []
            throw .configuration(
                file: cloudsPath, key: "clouds.\(name)",
                reason: "no such cloud (OS_CLOUD)" + (names.isEmpty ? "" : "; it has: \(names.joined(separator: ", "))"))
        }
        var settings = CloudSettings(source: "clouds.yaml cloud '\(name)' (\(cloudsPath))", file: cloudsPath, prefix: "clouds.\(name)")
        flatten(cloud, origin: cloudsPath, prefix: "clouds.\(name)", into: &settings)
        if let securePath = find("secure", override: environment["OS_CLIENT_SECURE_FILE"], in: directories) {
            if let secure = (try load(securePath)["clouds"] as? [String: Any])?[name] as? [String: Any] {
                flatten(secure, origin: securePath, prefix: "clouds.\(name)", into: &settings)
            }
        }
        return settings
    }

    /// A cloud's keys, flat: `auth.*` and the top-level ones share one namespace (their names
    /// do not clash), each remembering where it was written. `project_name` also answers to
    /// `tenant_name`.
    static func flatten(_ cloud: [String: Any], origin: String, prefix: String, into settings: inout CloudSettings) {
        func put(_ key: String, _ value: Any, path: String) {
            guard let text = scalar(value) else { return }
            let name = ["tenant_name": "project_name", "tenant_id": "project_id", "endpoint_type": "interface"][key] ?? key
            settings.values[name] = .init(text: text, origin: origin, key: path)
        }
        for (key, value) in cloud {
            if key == "auth", let auth = value as? [String: Any] {
                for (inner, value) in auth { put(inner, value, path: "\(prefix).auth.\(inner)") }
            } else {
                put(key, value, path: "\(prefix).\(key)")
            }
        }
    }

    static func scalar(_ value: Any) -> String? {
        switch value {
        case let text as String: text
        case let flag as Bool: String(flag)
        case let number as Int: String(number)
        case let number as Double: String(number)
        default: nil
        }
    }

    /// A YAML (or JSON, a subset) mapping from a regular file of bounded size.
    static func load(_ path: String) throws(OpenStackError) -> [String: Any] {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .configuration(file: path, key: "-", reason: "cannot be read") }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .configuration(file: path, key: "-", reason: "not a regular file") }
        guard info.st_size <= limit else { throw .configuration(file: path, key: "-", reason: "larger than \(limit) bytes") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration(file: path, key: "-", reason: "cannot be read")
        }
        let object: Any?
        do { object = try Yams.load(yaml: String(decoding: data, as: UTF8.self)) } catch {
            throw .configuration(file: path, key: "-", reason: "not valid YAML: \(OpenStackError.oneLine(String(describing: error)))")
        }
        guard let mapping = object as? [String: Any] else { throw .configuration(file: path, key: "-", reason: "not a YAML mapping") }
        return mapping
    }
}
