/// Which cloud to use, the OpenStack way: `OS_CLOUD` names one in clouds.yaml (+ secure.yaml);
/// without it, the `OS_*` environment (`OS_AUTH_URL` or `OS_ENDPOINT` + `OS_TOKEN`).
public enum CloudConfig {
    public static func resolve(environment: [String: String], workingDirectory: String) throws(OpenStackError) -> CloudAuth {
        if let cloud = environment["OS_CLOUD"], !cloud.isEmpty {
            return try CloudsFile.settings(cloud: cloud, environment: environment, workingDirectory: workingDirectory).auth()
        }
        let settings = CloudSettings.fromEnvironment(environment)
        guard settings["auth_url"] != nil || settings["endpoint"] != nil || settings["image_endpoint_override"] != nil else {
            throw .configuration(
                file: "environment", key: "OS_CLOUD",
                reason: "no cloud configured: set OS_CLOUD (a cloud in clouds.yaml) or OS_AUTH_URL and its OS_* variables")
        }
        return try settings.auth()
    }
}
