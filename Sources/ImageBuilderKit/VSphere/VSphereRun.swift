public import ImageBuilderBasics
public import ImageBuilderConfig
public import ImageBuilderPacker
public import ImageBuilderPlanning
public import VSphereKit

/// The vSphere side of one run: one client, hence one session, per vCenter and user, shared by
/// all of the run's builds, and logged out when the run ends.
package actor VSphereRun {
    /// `image-builder/<run id>`: how vCenter's session list tells this run apart.
    package nonisolated let userAgent: String
    private let warn: @Sendable (String) -> Void
    private var clients: [String: VSphereClient] = [:]
    /// Makes a client (tests give one on a fault-injecting transport).
    package typealias ClientFactory = @Sendable (VSphereSettings, String, (String) -> Void) throws -> VSphereClient
    private let makeClient: ClientFactory

    package init(
        runID: String, warn: @escaping @Sendable (String) -> Void,
        makeClient: @escaping ClientFactory = { try VSphereConnector.client($0, userAgent: $1, warn: $2) }
    ) {
        userAgent = "image-builder/\(runID)"
        self.warn = warn
        self.makeClient = makeClient
    }

    /// The run's client for these settings (made on first use).
    package func client(for settings: VSphereSettings) throws -> VSphereClient {
        let key = settings.server + "\u{0}" + settings.username
        if let client = clients[key] { return client }
        let client = try makeClient(settings, userAgent, warn)
        clients[key] = client
        return client
    }

    /// Logs every session out.
    package func close() async {
        for client in clients.values { await client.logout() }
        clients = [:]
    }

    /// Before anything starts: a clone build whose base is not built in the same run needs its
    /// base template on vCenter; a missing one is bad input naming the base target.
    package func checkBases(_ plans: [BuildPlan], layout: RepoLayout, locks: RunLocks?) async throws {
        let building = Set(plans.filter { $0.family == .vsphereBase }.map(\.os))
        // A base another process is building now is waited for, not checked.
        for plan in plans
        where plan.verb == .build && !building.contains(plan.os)
            && !BaseGate.isBeingBuiltElsewhere(plan, layout: layout, locks: locks)
        {
            guard let base = plan.base, let settings = plan.vsphere else { continue }
            let client = try client(for: settings)
            let found: ManagedObjectReference?
            do { found = try await client.findVM(base.template) } catch { throw VSphereStepError.vcenter(error) }
            if found == nil {
                throw VSphereStepError.missingBase(target: plan.target, template: base.template, server: settings.server, baseTarget: base.target)
            }
        }
    }

}
