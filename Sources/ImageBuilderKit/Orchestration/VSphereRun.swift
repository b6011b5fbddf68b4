public import VSphereKit

/// The vSphere side of one run: one client, hence one session, per vCenter and user, shared by
/// all of the run's builds, and logged out when the run ends.
package actor VSphereRun {
    /// `image-builder/<run id>`: how vCenter's session list tells this run apart.
    package nonisolated let userAgent: String
    private let warn: @Sendable (String) -> Void
    private var clients: [String: VSphereClient] = [:]

    package init(runID: String, warn: @escaping @Sendable (String) -> Void) {
        userAgent = "image-builder/\(runID)"
        self.warn = warn
    }

    /// The run's client for these settings (made on first use).
    package func client(for settings: VSphereSettings) throws -> VSphereClient {
        let key = settings.server + "\u{0}" + settings.username
        if let client = clients[key] { return client }
        let client = try VSphereConnector.client(settings, userAgent: userAgent, warn: warn)
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
    package func checkBases(_ plans: [(BuildPlan, ResolvedVariables)], environment: RunEnvironment) async throws {
        let building = Set(plans.filter { $0.0.family == .vsphereBase }.map(\.0.os))
        for (plan, variables) in plans where plan.verb == .build && plan.family == .vsphereClone && !building.contains(plan.os) {
            let settings = try VSphereSettings(lookup: { variables.value($0) }, environment: environment, consulted: [])
            let client = try client(for: settings)
            let template = variables.value("template")
            let found: ManagedObjectReference?
            do { found = try await client.findVM(template) } catch { throw VSphereFailure(error) }
            if found == nil {
                throw MissingBase(plan: plan, template: template, server: settings.server)
            }
        }
    }

    package struct MissingBase: UserFacingError {
        let target: String
        let template: String
        let server: String
        let base: String

        /// The base of clone build `plan` (its vsphere-base target) is not on `server`.
        init(plan: BuildPlan, template: String, server: String) {
            target = plan.target
            self.template = template
            self.server = server
            base = Target(family: .vsphereBase, os: plan.os).name(.build)
        }
        package var description: String { "\(target): base template '\(template)' not found on \(server)" }
        package var exitStatus: ExitStatus { .badInput }
        package var hint: String? { "build it first: make \(base)" }
    }
}
