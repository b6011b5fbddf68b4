public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning
public import VSphereKit

/// Makes the one vSphere client of a run from its settings, and finds placement objects by the
/// settings' names.
package enum VSphereConnector {
    /// A client that verifies TLS (with `caFile` if given), or — `insecure_connection: true` —
    /// does not, with one warning.
    package static func client(_ settings: VSphereSettings, userAgent: String, warn: (String) -> Void) throws -> VSphereClient {
        let trust: AHCTransport.Trust
        if settings.insecure {
            warn("insecure_connection is true: the certificate of \(settings.server) is not verified")
            trust = .insecure
        } else if let ca = settings.caFile {
            trust = .caFile(ca)
        } else {
            trust = .system
        }
        do {
            let transport = try AHCTransport(host: settings.server, trust: trust)
            return VSphereClient(
                host: settings.server, username: settings.username, password: settings.password.value,
                transport: transport, userAgent: userAgent)
        } catch {
            throw VSphereStepError.vcenter(error)
        }
    }

    /// Runs `body` with a client and logs out afterwards, whatever happens; vSphere errors
    /// become user-facing ones.
    package static func with<T: Sendable>(
        _ settings: VSphereSettings, userAgent: String, warn: (String) -> Void,
        _ body: (VSphereClient) async throws -> T
    ) async throws -> T {
        let client = try client(settings, userAgent: userAgent, warn: warn)
        do {
            let result = try await body(client)
            await client.logout()
            return result
        } catch let error as VSphereError {
            await client.logout()
            throw VSphereStepError.vcenter(error)
        } catch {
            await client.logout()
            throw error
        }
    }

    /// Where new VMs go: the resource pool (resource_pool, else the cluster's or host's root pool),
    /// datastore, VM folder and network named by the settings.
    package static func placement(_ client: VSphereClient, _ settings: VSphereSettings) async throws -> VSphereClient.Placement {
        let dc = settings.datacenter
        let compute = settings.cluster.isEmpty ? settings.host : settings.cluster
        let poolPath = "\(dc)/host/\(compute)/Resources" + (settings.resourcePool.isEmpty ? "" : "/\(settings.resourcePool)")
        func require(_ path: String, _ key: String) async throws -> ManagedObjectReference {
            guard let found = try await client.find(inventoryPath: path) else {
                throw VSphereStepError.vcenter(.notFound(host: settings.server, what: "\(path) (from \(key))"))
            }
            return found
        }
        let pool = try await require(poolPath, settings.cluster.isEmpty ? "host" : "cluster")
        let datastore = try await require("\(dc)/datastore/\(settings.datastore)", "datastore")
        let folder = try await require("\(dc)/vm" + (settings.folder.isEmpty ? "" : "/\(settings.folder)"), "folder")
        var networks: [(String, ManagedObjectReference)] = []
        if !settings.network.isEmpty { networks.append(("nic0", try await require("\(dc)/network/\(settings.network)", "network"))) }
        return .init(pool: pool, datastore: datastore, folder: folder, networks: networks)
    }
}
