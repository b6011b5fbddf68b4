public import ImageBuilderBasics
public import OpenNebulaKit

/// `one publish`: the export's image into an image datastore (`one.image.allocate`), polled with
/// `one.image.info` until READY (ERROR reported with OpenNebula's message), then the VM template
/// referring to it (`one.template.allocate`). Idempotent by name: an image of that name is
/// reused; with `replace`, a new one is made under a temporary name and takes the name over once
/// READY. What a run allocated and did not finish is deleted, by id.
package struct ONEPublisher: Sendable {
    package struct Request: Sendable {
        package var directory: String
        package var datastore: String
        package var replace = false
        package var pollInterval: Duration = .seconds(2)
        package var timeout: Duration = .seconds(3600)

        package init(directory: String, datastore: String) {
            self.directory = directory
            self.datastore = datastore
        }
    }

    package struct Outcome: Sendable, Equatable {
        package let imageID: Int
        package let templateID: Int
        package let reusedImage: Bool
        package let reusedTemplate: Bool
    }

    let client: ONEClient
    let note: @Sendable (String) -> Void

    package init(client: ONEClient, note: @escaping @Sendable (String) -> Void) {
        self.client = client
        self.note = note
    }

    static func template(_ path: String) throws(ONEPublishError) -> ONETemplate {
        guard case .contents(let bytes, _) = FileReader.read(path, limit: 1 << 20) else {
            throw .badExport(path: path, reason: "cannot be read (run one export first)")
        }
        guard let template = ONETemplate.parse(String(decoding: bytes, as: UTF8.self)), template.value("NAME") != nil else {
            throw .badExport(path: path, reason: "not an OpenNebula template with a NAME")
        }
        return template
    }

    package func publish(_ request: Request) async throws(ONEPublishError) -> Outcome {
        let image = try Self.template(request.directory + "/image.one")
        let vm = try Self.template(request.directory + "/vm.one")
        let name = image.value("NAME") ?? ""
        do {
            let datastore = try await datastoreID(request.datastore)
            let existing = try await client.images().filter { $0.name == name }
            var imageID: Int
            var reused = false
            if let found = existing.first, !request.replace {
                note("image \(name) exists (id \(found.id), \(found.stateName)): reused")
                imageID = found.id
                reused = true
                try await waitReady(found.id, name: name, request: request, created: false)
            } else {
                let temporary = existing.isEmpty ? name : name + ".image-builder-new"
                imageID = try await client.allocateImage(Self.renamed(image, temporary).text, datastore: datastore)
                note("image \(temporary) allocated (id \(imageID)) in datastore \(datastore); waiting for READY")
                try await waitReady(imageID, name: temporary, request: request, created: true)
                if !existing.isEmpty {
                    for old in existing { try await client.deleteImage(old.id) }
                    try await client.renameImage(imageID, to: name)
                    note("image \(name): replaced \(existing.map { "id \($0.id)" }.joined(separator: ", "))")
                }
            }
            let vmName = vm.value("NAME") ?? name
            let templates = try await client.templates().filter { $0.name == vmName }
            if let found = templates.first, !request.replace {
                note("VM template \(vmName) exists (id \(found.id)): reused")
                return Outcome(imageID: imageID, templateID: found.id, reusedImage: reused, reusedTemplate: true)
            }
            // Names are unique: a replacement is made under a temporary name, then takes the name over.
            let templateID = try await client.allocateTemplate(Self.renamed(vm, templates.isEmpty ? vmName : vmName + ".image-builder-new").text)
            if !templates.isEmpty {
                for old in templates { try await client.deleteTemplate(old.id) }
                try await client.renameTemplate(templateID, to: vmName)
            }
            return Outcome(imageID: imageID, templateID: templateID, reusedImage: reused, reusedTemplate: false)
        } catch let error as ONEPublishError {
            throw error
        } catch let error as ONEError {
            throw .one(error)
        } catch {
            throw .one(.unreachable(endpoint: client.credentials.endpoint, reason: "\(error)"))
        }
    }

    static func renamed(_ template: ONETemplate, _ name: String) -> ONETemplate {
        var copy = template
        copy.attributes = copy.attributes.map { if case .single("NAME", _) = $0 { .single("NAME", name) } else { $0 } }
        return copy
    }

    func datastoreID(_ given: String) async throws -> Int {
        let stores = try await client.datastores()
        // TYPE 0 is an image datastore.
        let images = stores.filter { $0.type == 0 }
        if let id = Int(given), images.contains(where: { $0.id == id }) { return id }
        if let match = images.first(where: { $0.name == given }) { return match.id }
        throw ONEPublishError.noDatastore(given: given, known: images.map { "\($0.id) \($0.name)" })
    }

    /// Polls until READY; ERROR and timeouts fail, and an image this run created is deleted.
    func waitReady(_ id: Int, name: String, request: Request, created: Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + request.timeout
        do {
            while true {
                let info = try await client.image(id)
                if info.state == ONEImage.ready || info.state == 2 { return }
                if info.state == ONEImage.errorState {
                    throw ONEPublishError.imageFailed(name: name, id: id, message: info.error ?? "no message")
                }
                guard clock.now < deadline else { throw ONEPublishError.timedOut(name: name, id: id, state: info.stateName) }
                try await Task.sleep(for: request.pollInterval)
            }
        } catch {
            if created {
                let client = self.client
                // Not this task's: a cancelled run still deletes what it allocated.
                await Task { try? await client.deleteImage(id) }.value
                note("image \(name) (id \(id)) deleted")
            }
            throw error
        }
    }
}
