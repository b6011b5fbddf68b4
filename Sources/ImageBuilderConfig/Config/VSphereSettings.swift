public import ImageBuilderBasics

/// The vCenter connection and placement, from the same layered var files builds use
/// (`packer/ova/vsphere.json`, then PACKER_VAR_FILES, then `--var-file FILE`); the password
/// may come from VSPHERE_PASSWORD instead.
package struct VSphereSettings: Sendable {
    package let server: String
    package let username: String
    package let password: Secret
    package let insecure: Bool
    /// `ib_ca_file` or `--ca-file`: the CA to trust besides the system's.
    package let caFile: String?
    package let datacenter: String
    package let cluster: String
    package let host: String
    package let resourcePool: String
    package let datastore: String
    package let folder: String
    package let network: String
    /// `ib_profile: simulator`: only ever on 127.0.0.1.
    package let isSimulator: Bool
    /// The files consulted, for messages.
    package let consulted: [String]

    /// Reads the settings for the `vsphere` commands.
    package static func load(
        layout: RepoLayout, environment: RunEnvironment, varFiles: [String],
        caFile: String?
    ) throws(ConfigError) -> VSphereSettings {
        let inputs = try UserInputs(environment: environment)
        let paths = [layout.root + "/packer/ova/vsphere.json"] + inputs.packerVarFiles + varFiles.map(environment.absolute)
        var vars = ResolvedVariables()
        let loader = VarFileLoader()
        for (index, path) in paths.enumerated() {
            vars.apply(try loader.load(path, origin: index == 0 ? "the vsphere family" : "PACKER_VAR_FILES or --var-file"), role: .user)
        }
        return try VSphereSettings(
            lookup: { vars.value($0) }, environment: environment,
            consulted: paths.map(layout.display), caFile: caFile.map(environment.absolute))
    }

    /// From resolved values (a build's variables, or the `vsphere` commands' layering).
    package init(lookup: (String) -> String, environment: RunEnvironment, consulted: [String], caFile: String? = nil) throws(ConfigError) {
        let password = lookup("password").isEmpty ? environment["VSPHERE_PASSWORD"] ?? "" : lookup("password")
        var missing = ["vcenter_server", "username"].filter { lookup($0).isEmpty }
        if password.isEmpty { missing.append("password") }
        if !missing.isEmpty { throw .missingSettings(target: "vsphere", keys: missing, consulted: consulted) }
        server = lookup("vcenter_server")
        username = lookup("username")
        self.password = Secret(password)
        // Exactly what packer accepts as true (Go's ParseBool); anything else is refused while
        // planning, so TLS is never loosened on a value packer would reject.
        let insecureText = lookup("insecure_connection")
        if !insecureText.isEmpty && !PackerBoolean.isValid(insecureText) {
            throw .invalidValue(source: consulted.last ?? "vsphere", key: "insecure_connection", value: insecureText, allowed: "true or false")
        }
        insecure = PackerBoolean.isTrue(insecureText)
        let ca = caFile ?? (lookup("ib_ca_file").isEmpty ? nil : environment.absolute(lookup("ib_ca_file")))
        if let ca, !FileReader.exists(ca) { throw .fileMissing(path: ca, origin: caFile != nil ? "--ca-file" : "ib_ca_file") }
        self.caFile = ca
        datacenter = lookup("datacenter")
        cluster = lookup("cluster")
        host = lookup("host")
        resourcePool = lookup("resource_pool")
        datastore = lookup("datastore")
        folder = lookup("folder")
        network = lookup("network")
        isSimulator = lookup("ib_profile") == "simulator"
        self.consulted = consulted
        if isSimulator && !VSphereSettings.isLoopback(server) {
            throw .simulatorProfileNotLoopback(server: server, consulted: consulted)
        }
    }

    /// `127.0.0.1` or `127.0.0.1:port`.
    package static func isLoopback(_ server: String) -> Bool {
        server == "127.0.0.1" || server.hasPrefix("127.0.0.1:")
    }
}
