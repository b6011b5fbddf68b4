import ArgumentParser
import Foundation
import ImageBuilderKit
import OpenStackKit
import Synchronization

struct OpenStackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openstack", abstract: "Publish OVAs to OpenStack Glance for Nova's VMware driver.",
        subcommands: [Publish.self])

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish",
            abstract: "Upload a build's OVA to Glance with the properties Nova's VMware driver reads.",
            discussion: """
                SOURCE is an OVA, a build's output directory holding one, or a target \
                publish-node-ova-openstack-<os|all> (the OVAs the builds of that OS left in output/). \
                The cloud: OS_CLOUD (clouds.yaml and secure.yaml in ./, ~/.config/openstack/, /etc/openstack/), \
                else the OS_* environment (OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, OS_PROJECT_NAME, …, \
                OS_AUTH_TYPE=v3applicationcredential with OS_APPLICATION_CREDENTIAL_ID/_SECRET, or OS_ENDPOINT + OS_TOKEN). \
                Publishing the same build again uploads nothing; --replace uploads anew and deletes the old image \
                once the new one is active.
                """)

        @Argument(help: "An OVA, an output directory, or publish-node-ova-openstack-<os|all>.") var source: String
        @Option(help: "The image name (default: the OVA's name).") var name: String?
        @Option(help: "bare: the streamOptimized disk (default); ova: the whole OVA.") var container = "bare"
        @Option(help: "private, shared, community or public (default: Glance's).") var visibility: String?
        @Option(name: .customLong("property"), help: "KEY=VALUE: add or override a property (repeatable).") var properties: [String] = []
        @Flag(help: "Upload even if this build is in Glance; delete the old image once the new one is active.") var replace = false
        @Option(name: .shortAndLong, help: "Publish at most N OVAs at once (default: make's -j, else the processors).") var jobs: Int?

        func run() async throws {
            let context = CommandContext.current
            let environment = context.environment
            guard let container = GlancePublisher.Container(rawValue: container) else {
                throw PublishError.invalidInput(path: "--container", reason: "'\(container)' is not bare or ova")
            }
            let items = try sources(environment)
            if name != nil, items.count > 1 {
                throw PublishError.invalidInput(path: "--name", reason: "names one image; \(source) is \(items.count)")
            }
            // Every OVA and option is checked (and each OVA read once) before the cloud is asked anything.
            let version = environment["IB_VERSION"] ?? "dev"
            var requests: [(String, GlancePublisher.Prepared)] = []
            for (label, ova) in items {
                var request = GlancePublisher.Request(ova: ova)
                (request.name, request.container, request.visibility) = (name, container, visibility)
                (request.properties, request.replace) = (properties, replace)
                requests.append((label, try GlancePublisher.prepare(request, version: version)))
            }
            let cloud: CloudAuth
            do { cloud = try CloudConfig.resolve(environment: environment.variables, workingDirectory: environment.workingDirectory) } catch {
                throw PublishError.cloud(error)
            }
            if cloud.trust == .insecure {
                context.warn("TLS certificates are not verified for this cloud (\(cloud.source) asks for insecure)")
            }
            let limit = ConcurrencyLimit.resolve(
                explicit: jobs, makeflags: environment["MAKEFLAGS"], builds: requests.count,
                processors: ProcessInfo.processInfo.activeProcessorCount)
            let failures = try await Self.publishAll(requests, cloud: cloud, limit: limit, context: context)
            if !failures.isEmpty { throw ErrorList(failures) }
        }

        /// `(label, OVA path)` for SOURCE.
        func sources(_ environment: RunEnvironment) throws -> [(String, String)] {
            if source.hasPrefix(PublishTargets.prefix) {
                let planner = try Planner(environment: environment)
                return try PublishTargets.resolve(source, planner: planner).map { ($0.os, $0.ova) }
            }
            let path = environment.absolute(source)
            if FileReader.isDirectory(path) {
                let found = (FileReader.list(path) ?? []).filter { $0.hasSuffix(".ova") }.sorted()
                guard found.count == 1 else {
                    throw PublishError.invalidInput(
                        path: path,
                        reason: found.isEmpty
                            ? "holds no .ova (run `image-builder ova package` first)"
                            : "holds several OVAs: \(found.joined(separator: ", ")); name one")
                }
                return [(GlancePublisher.defaultName(found[0]), path + "/" + found[0])]
            }
            return [(GlancePublisher.defaultName(path), path)]
        }

        static func publishAll(
            _ requests: [(String, GlancePublisher.Prepared)], cloud: CloudAuth, limit: Int, context: CommandContext
        ) async throws -> [any UserFacingError] {
            let slots = JobSlots(jobserver: Jobserver.fromMakeflags(context.environment["MAKEFLAGS"]))
            let prefix = requests.count > 1
            return try await withThrowingTaskGroup(of: (any UserFacingError)?.self) { group in
                var failures: [any UserFacingError] = []
                var next = 0
                func start() {
                    let (label, request) = requests[next]
                    next += 1
                    group.addTask {
                        let slot = try await slots.acquire()
                        defer { Task { await slots.release(slot) } }
                        let lead = prefix ? "[\(label)] " : ""
                        let meter = UploadProgress(sink: context.errors, lead: lead)
                        let publisher = GlancePublisher(
                            cloud: cloud, note: { context.errors.line("image-builder: " + lead + $0) },
                            progress: meter.report)
                        do {
                            let outcome = try await publisher.publish(request)
                            context.output.line(
                                "\(lead)\(outcome.name): Glance image \(outcome.imageID)"
                                    + (outcome.uploaded ? " (\(outcome.bytes) bytes uploaded, active, sha512 checked)" : " (already there)"))
                            return nil
                        } catch let error as PublishError {
                            if case .interrupted = error { throw error }
                            return error
                        }
                    }
                }
                while next < min(limit, requests.count) { start() }
                while let result = try await group.next() {
                    if let failure = result { failures.append(failure) }
                    if next < requests.count { start() }
                }
                return failures
            }
        }
    }
}

/// `uploading: 42% (420 of 1000 MiB)`: redrawn in place on a terminal, every 10% otherwise.
final class UploadProgress: Sendable {
    let sink: OutputSink
    let lead: String
    private let shown = Mutex<Int64>(-1)

    init(sink: OutputSink, lead: String) {
        self.sink = sink
        self.lead = lead
    }

    func report(_ sent: Int64, _ total: Int64) {
        let percent = total > 0 ? sent * 100 / total : 100
        let step = sink.isTerminal && lead.isEmpty ? percent : percent / 10 * 10
        guard
            shown.withLock({ last in
                guard step != last else { return false }
                last = step
                return true
            })
        else { return }
        let line = "\(lead)uploading: \(step)% (\(sent >> 20) of \(total >> 20) MiB)"
        if sink.isTerminal && lead.isEmpty {
            sink.write("\r" + line + (sent >= total ? "\n" : ""))
        } else {
            sink.line("image-builder: " + line)
        }
    }
}
