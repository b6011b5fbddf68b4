public import ImageBuilderBasics
public import OpenStackKit
import Synchronization

/// `openstack publish`: one OVA into Glance for Nova's VMware driver. Signs in, finds an image of
/// the same build (by the OVA's sha256 and container format), else creates one with the derived
/// properties, streams the disk (`bare`) or the OVA (`ova`), and checks what Glance holds. What it
/// created and could not finish, it deletes again, by id.
package struct GlancePublisher: Sendable {
    package enum Container: String, Sendable, CaseIterable { case bare, ova }

    package struct Request: Sendable {
        package var ova: String
        package var name: String?
        package var container: Container = .bare
        package var visibility: String?
        package var properties: [String] = []
        package var replace = false

        package init(ova: String) { self.ova = ova }
    }

    package struct Outcome: Sendable, Equatable {
        package let imageID: String
        package let name: String
        /// False when an image of this build was already there (nothing uploaded).
        package let uploaded: Bool
        /// Images of the same build deleted by `--replace`, after the new one was active.
        package let replaced: [String]
        package let properties: [String: String]
        package let bytes: Int64
    }

    /// A request checked and read: the OVA (read once, its sha256 known) and the properties.
    package struct Prepared: Sendable {
        package let request: Request
        package let source: PublishSource
        package let properties: [String: String]
    }

    package let cloud: CloudAuth
    /// Messages for the user (one line each).
    package let note: @Sendable (String) -> Void
    /// `(sent, total)` while the data streams.
    package let progress: @Sendable (Int64, Int64) -> Void

    package init(
        cloud: CloudAuth, note: @escaping @Sendable (String) -> Void, progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }
    ) {
        self.cloud = cloud
        self.note = note
        self.progress = progress
    }

    /// Everything is checked before Keystone is asked: the OVA, the derived table, the options.
    /// `version` is image-builder's, for an OVA that does not name the one that built it.
    package static func prepare(_ request: Request, version: String) throws(PublishError) -> Prepared {
        if let visibility = request.visibility, !["private", "shared", "community", "public"].contains(visibility) {
            throw .invalidInput(path: "--visibility", reason: "'\(visibility)' is not private, shared, community or public")
        }
        if let name = request.name, name.isEmpty || name.count > 255 {
            throw .invalidInput(path: "--name", reason: "an image name is 1 to 255 characters")
        }
        let source = try PublishSource(path: request.ova)
        var properties: [String: String]
        do { properties = try GlanceProperties.derive(source.ovf, ovaSHA256: source.sha256, version: version) } catch {
            if case .invalidInput(_, let reason) = error { throw .invalidInput(path: request.ova, reason: reason) }
            throw error
        }
        try GlanceProperties.apply(request.properties, to: &properties)
        return Prepared(request: request, source: source, properties: properties)
    }

    package func publish(_ prepared: Prepared) async throws(PublishError) -> Outcome {
        let (request, source, properties) = (prepared.request, prepared.source, prepared.properties)
        let name = request.name ?? Self.defaultName(request.ova)
        let http: OpenStackHTTP
        do { http = try OpenStackHTTP(trust: cloud.trust) } catch { throw .cloud(error) }
        defer { Task.detached { await http.shutdown() } }
        let glance: Glance
        do {
            let session = try await Keystone(http: http).authenticate(cloud)
            let endpoint = try session.catalog.endpoint(type: "image", region: cloud.region, interface: cloud.interface)
            glance = Glance(endpoint: endpoint, token: session.token, http: http)
        } catch { throw .cloud(error) }
        let existing: [GlanceImage]
        do {
            existing = try await glance.images(matching: [
                GlanceProperties.digestKey: source.sha256, "container_format": request.container.rawValue,
            ]).filter { $0.status == "active" }
        } catch { throw .cloud(error) }
        if let found = existing.first, !request.replace {
            note("\(found.name) (\(found.id)): already in Glance from this build (sha256 \(source.sha256.prefix(12))…); nothing uploaded")
            return Outcome(imageID: found.id, name: found.name, uploaded: false, replaced: [], properties: found.properties, bytes: 0)
        }
        let created: GlanceImage
        do {
            created = try await glance.create(
                name: name, diskFormat: "vmdk", containerFormat: request.container.rawValue, visibility: request.visibility,
                properties: properties)
        } catch { throw .cloud(error) }
        note("\(name) (\(created.id)): created; uploading \(request.container == .bare ? source.diskName + " from the OVA" : "the OVA")")
        let image: GlanceImage
        let bytes: Int64
        do {
            (image, bytes) = try await upload(source, container: request.container, to: glance, id: created.id)
        } catch {
            // Whatever ended the upload, the record it created goes (by id; detached so an
            // interrupted run still sends the delete).
            let deleted = await Task.detached { (try? await glance.delete(id: created.id)) != nil }.value
            if Task.isCancelled, case .cloud = error { throw .interrupted(deleted: deleted ? created.id : nil) }
            if case .verification = error { throw error }
            note("\(created.id): " + (deleted ? "deleted after the failed upload" : "could not be deleted after the failed upload"))
            throw error
        }
        var replaced: [String] = []
        for old in existing where old.id != image.id {
            do {
                try await glance.delete(id: old.id)
                replaced.append(old.id)
                note("\(old.id): the earlier image of this build, deleted (--replace)")
            } catch { note("\(old.id): the earlier image of this build could not be deleted: \(error)") }
        }
        return Outcome(imageID: image.id, name: image.name, uploaded: true, replaced: replaced, properties: image.properties, bytes: bytes)
    }

    /// Streams the data, then waits for `active` and checks Glance's sha512, size and virtual size.
    private func upload(
        _ source: PublishSource, container: Container, to glance: Glance, id: String
    ) async throws(PublishError) -> (GlanceImage, Int64) {
        let (offset, size) = container == .bare ? (source.diskOffset, source.diskSize) : (Int64(0), source.size)
        let meter = UploadMeter(total: size, progress: progress)
        let sent: Glance.Upload
        do {
            sent = try await glance.upload(id: id, path: source.path, offset: offset, size: size) { meter.add($0) }
        } catch { throw .cloud(error) }
        // What was sent is what was packaged: the manifest's digest of the disk, the OVA's checksum file.
        let expected = container == .bare ? source.diskSHA256 : (source.sha256FromFile ? source.sha256 : nil)
        if let expected, meter.sha256 != expected {
            throw .verification(imageID: id, reason: "the bytes sent have sha256 \(meter.sha256), the OVA's records say \(expected)")
        }
        var image: GlanceImage
        do {
            image = try await glance.image(id: id)
            var polls = 0
            while ["saving", "queued", "importing"].contains(image.status), polls < 120 {
                try? await Task.sleep(for: .milliseconds(500))
                polls += 1
                image = try await glance.image(id: id)
            }
        } catch { throw .cloud(error) }
        guard image.status == "active" else { throw .verification(imageID: id, reason: "status is \(image.status), not active") }
        if let algorithm = image.hashAlgorithm, algorithm != "sha512" {
            throw .verification(imageID: id, reason: "Glance hashed with \(algorithm); only sha512 can be compared")
        }
        guard image.hashValue == sent.sha512 else {
            throw .verification(
                imageID: id, reason: "os_hash_value \(image.hashValue ?? "none") is not the sha512 of the bytes sent (\(sent.sha512))")
        }
        guard image.size == sent.bytes, sent.bytes == size else {
            throw .verification(imageID: id, reason: "Glance holds \(image.size ?? -1) bytes; \(sent.bytes) of \(size) were sent")
        }
        if container == .bare || image.virtualSize != nil {
            guard image.virtualSize == source.capacityBytes else {
                throw .verification(
                    imageID: id,
                    reason: "virtual_size \(image.virtualSize.map(String.init) ?? "none") is not the OVF's capacity \(source.capacityBytes)")
            }
        }
        return (image, sent.bytes)
    }

    /// The OVA's file name without `.ova`.
    package static func defaultName(_ path: String) -> String {
        let base = Paths.basename(path)
        return base.hasSuffix(".ova") ? String(base.dropLast(4)) : base
    }
}
