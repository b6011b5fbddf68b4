public import ImageBuilderBasics
public import MAASKit
import OVAKit

/// `maas publish`: a disk image into MAAS as an uploaded boot resource. Size and sha256 first
/// (one streaming pass), the resource created with them (MAAS says `complete` when it already
/// holds that content: nothing is sent), then 4 MiB chunks, each signed as it is sent; a chunk
/// that meets a 5xx or a lost connection is retried from what MAAS says it holds; a 4xx ends the
/// run quoting MAAS. Then MAAS is asked until the file is complete.
package struct MAASPublisher: Sendable {
    package struct Request: Sendable {
        package var path: String
        package var name: String
        package var title: String?
        package var architecture = "amd64/generic"
        package var filetype: String?

        package init(path: String, name: String) {
            self.path = path
            self.name = name
        }
    }

    package struct Outcome: Sendable, Equatable {
        package let resourceID: Int
        package let uploaded: Bool
        package let chunksSent: Int
        package let sha256: String
        package let size: Int64
    }

    package static let chunkSize: Int64 = 4 << 20
    package static let filetypes = ["tgz", "tbz", "txz", "ddtgz", "ddtbz", "ddtxz", "ddtar", "ddbz2", "ddgz", "ddxz", "ddraw"]

    package let client: MAASClient
    package let note: @Sendable (String) -> Void
    package let progress: @Sendable (Int64, Int64) -> Void
    /// Waits between attempts of a chunk (tests shorten them).
    package var retryDelays: [Duration] = [.seconds(1), .seconds(2), .seconds(4), .seconds(8)]
    package var completionTimeout: Duration = .seconds(600)

    package init(client: MAASClient, note: @escaping @Sendable (String) -> Void, progress: @escaping @Sendable (Int64, Int64) -> Void = { _, _ in }) {
        self.client = client
        self.note = note
        self.progress = progress
    }

    /// The filetype a file name implies (`.dd.gz` → `ddgz`, …).
    package static func filetype(for path: String) -> String? {
        let table: [(String, String)] = [
            (".dd.gz", "ddgz"), (".dd.xz", "ddxz"), (".dd.bz2", "ddbz2"), (".dd.tar.gz", "ddtgz"), (".dd.tgz", "ddtgz"), (".dd.tar", "ddtar"),
            (".dd", "ddraw"), (".img", "ddraw"), (".tar.gz", "tgz"), (".tgz", "tgz"), (".tar.xz", "txz"), (".tar.bz2", "tbz"),
        ]
        return table.first { path.hasSuffix($0.0) }?.1
    }

    /// Everything checked before MAAS is asked anything.
    package static func check(_ request: Request) throws(MAASPublishError) -> String {
        let parts = request.name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty }) else {
            throw .invalidInput(path: "--name", reason: "'\(request.name)' is not os/release (such as esxi/8.0)")
        }
        guard request.architecture.split(separator: "/").count == 2 else {
            throw .invalidInput(path: "--architecture", reason: "'\(request.architecture)' is not arch/subarch (such as amd64/generic)")
        }
        switch FileReader.read(request.path, offset: 0, count: 1) {
        case .contents(let bytes, _) where !bytes.isEmpty: break
        case .contents: throw .invalidInput(path: request.path, reason: "empty")
        case .notRegular(let kind): throw .invalidInput(path: request.path, reason: "not a regular file (\(kind))")
        case .missing: throw .invalidInput(path: request.path, reason: "no such file")
        default: throw .invalidInput(path: request.path, reason: "cannot be read")
        }
        guard let filetype = request.filetype ?? filetype(for: request.path) else {
            throw .invalidInput(
                path: request.path, reason: "the file type is not clear from the name: give --filetype (\(filetypes.joined(separator: ", ")))")
        }
        guard filetypes.contains(filetype) else {
            throw .invalidInput(path: "--filetype", reason: "'\(filetype)' is not one MAAS takes (\(filetypes.joined(separator: ", ")))")
        }
        return filetype
    }

    package func publish(_ request: Request) async throws(MAASPublishError) -> Outcome {
        let filetype = try Self.check(request)
        let size = FileReader.size(request.path) ?? 0
        let sha256: String
        do { sha256 = try SHA256File.hex(request.path) } catch { throw .invalidInput(path: request.path, reason: "cannot be read: \(error)") }
        var resource: BootResource
        do {
            resource = try await client.createBootResource(
                name: request.name, title: request.title ?? request.name, architecture: request.architecture, filetype: filetype,
                sha256: sha256, size: size)
        } catch { throw .maas(error) }
        guard let file = resource.file else { throw .incomplete(resource: resource.id, reason: "MAAS lists no file for it") }
        if file.complete {
            note("\(request.name) (boot resource \(resource.id)): MAAS already holds this content (sha256 \(sha256.prefix(12))…); nothing uploaded")
            return Outcome(resourceID: resource.id, uploaded: false, chunksSent: 0, sha256: sha256, size: size)
        }
        guard let uploadURI = file.uploadURI else { throw .incomplete(resource: resource.id, reason: "MAAS gave no upload URI") }
        var offset = file.heldBytes(chunkSize: Self.chunkSize)
        if offset > 0 { note("\(request.name): MAAS holds \(offset) of \(size) bytes already; resuming") }
        var sent = 0
        var attempt = 0
        while offset < size {
            let count = Int(min(Self.chunkSize, size - offset))
            do {
                try await client.uploadChunk(uploadURI, path: request.path, offset: offset, count: count)
                sent += 1
                attempt = 0
                offset += Int64(count)
                progress(offset, size)
            } catch {
                guard error.isTransient, attempt < retryDelays.count, !Task.isCancelled else { throw .maas(error) }
                note("chunk at \(offset): \(error); retrying")
                try? await Task.sleep(for: retryDelays[attempt])
                attempt += 1
                // What MAAS holds decides where to go on: a chunk it stored before the answer was
                // lost is not sent twice.
                do { resource = try await client.bootResource(id: resource.id) } catch { if !error.isTransient { throw .maas(error) } }
                offset = resource.file?.heldBytes(chunkSize: Self.chunkSize) ?? offset
            }
        }
        try await waitForCompletion(resource.id)
        return Outcome(resourceID: resource.id, uploaded: true, chunksSent: sent, sha256: sha256, size: size)
    }

    private func waitForCompletion(_ id: Int) async throws(MAASPublishError) {
        let clock = ContinuousClock()
        let deadline = clock.now + completionTimeout
        while true {
            let resource: BootResource
            do { resource = try await client.bootResource(id: id) } catch { throw .maas(error) }
            if resource.file?.complete == true { return }
            guard clock.now < deadline, !Task.isCancelled else {
                throw .incomplete(resource: id, reason: "every byte was sent but MAAS does not say the file is complete")
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
