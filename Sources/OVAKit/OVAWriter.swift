#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes an OVA, its .ovf, .mf and .ova.sha256 — each as `*.partial`, renamed at the end, so
/// nothing partial remains after a failure or an interruption.
///
/// From disk files: one pass hashes the disks (reading ahead on a second thread), one writes
/// the OVA while hashing it. From streams (an export): each disk is written straight to its place
/// in the OVA as it arrives and hashed; sizes, OVF and manifest are filled in afterwards, then
/// one read hashes the OVA. Both give the same bytes.
public final class OVAWriter {
    public struct Result: Sendable, Equatable {
        public let ova: String
        public let sha256: String
        public let diskDigests: [String]
        public let diskSizes: [Int64]

        public init(ova: String, sha256: String, diskDigests: [String], diskSizes: [Int64]) {
            self.ova = ova
            self.sha256 = sha256
            self.diskDigests = diskDigests
            self.diskSizes = diskSizes
        }
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let reason: String
        /// The writer stopped because it was asked to (the caller's cancellation), not because
        /// anything failed.
        public let isInterruption: Bool

        public init(path: String, reason: String, isInterruption: Bool = false) {
            self.path = path
            self.reason = reason
            self.isInterruption = isInterruption
        }

        /// Stopped on request while writing `path`.
        public static func interrupted(_ path: String) -> Failure { Failure(path: path, reason: "interrupted", isInterruption: true) }

        public var description: String { "\(path): \(reason)" }
    }

    /// The layout; each disk's capacity is set from its VMDK header once the disk is checked.
    private(set) var layout: OVALayout
    /// Polled between chunks: true stops the work (and removes what was written).
    let isCancelled: () -> Bool
    var output: OutputFile?

    public init(layout: OVALayout, isCancelled: @escaping () -> Bool = { false }) {
        self.layout = layout
        self.isCancelled = isCancelled
    }

    /// Packages disk files (one per descriptor disk, in order).
    public func package(diskFiles: [String]) throws -> Result {
        guard diskFiles.count == layout.descriptor.disks.count else {
            throw Failure(path: layout.directory, reason: "\(diskFiles.count) disk files for \(layout.descriptor.disks.count) disks")
        }
        // Every disk is a whole streamOptimized VMDK before anything is written.
        for file in diskFiles {
            if let problem = VMDKCheck.problem(path: file) { throw Failure(path: file, reason: problem) }
        }
        layout = layout.describing(capacities: diskFiles.map { VMDKHeader.capacityBytes(path: $0) })
        if layout.manifestAtEnd { return try packageInOnePass(diskFiles: diskFiles) }
        do {
            var sizes: [Int64] = []
            var digests: [String] = []
            for file in diskFiles {
                var hasher = SHA256()
                var size: Int64 = 0
                try ReadAhead.forEach(path: file, size: Self.fileSize(file)) { chunk in
                    try checkCancelled()
                    hasher.update(bufferPointer: chunk)
                    size += Int64(chunk.count)
                }
                sizes.append(size)
                digests.append(Self.hex(hasher.finalize()))
            }
            let (ovf, manifest) = try writeSidecars(sizes: sizes, digests: digests)
            let file = try OutputFile(path: layout.path(layout.ovaName) + ".partial")
            output = file
            var ovaHasher = SHA256()
            func emit(_ bytes: [UInt8]) throws { try Self.emit(bytes, to: file, hashing: &ovaHasher) }
            try emit(layout.head(ovf: ovf, manifest: manifest))
            for (index, path) in diskFiles.enumerated() {
                try emit(layout.diskHeaders(index, size: sizes[index]))
                try copyDisk(path, size: sizes[index], into: file, ovaHasher: &ovaHasher)
                try emit([UInt8](repeating: 0, count: TarHeader.padding(sizes[index])))
            }
            try emit([UInt8](repeating: 0, count: TarHeader.trailer(after: file.length)))
            return try finish(sha256: Self.hex(ovaHasher.finalize()), digests: digests, sizes: sizes)
        } catch {
            abort()
            throw error
        }
    }

    /// Appends bytes to the OVA and to its digest.
    static func emit(_ bytes: [UInt8], to file: OutputFile, hashing hasher: inout SHA256) throws {
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        try file.append(bytes)
    }

    /// Copies one disk into the OVA at its place: the read-ahead thread writes each chunk (and
    /// feeds `diskHasher`, if given) while this thread feeds `ovaHasher`.
    func copyDisk(_ path: String, size: Int64, into file: OutputFile, ovaHasher: inout SHA256, diskHasher: ReadAhead.ThreadHasher? = nil) throws {
        var copied: Int64 = 0
        let mirror = ReadAhead.Mirror(descriptor: file.descriptor, offset: file.length, path: file.path, hasher: diskHasher)
        try ReadAhead.forEach(path: path, size: size, mirror: mirror) { chunk in
            try checkCancelled()
            ovaHasher.update(bufferPointer: chunk)
            copied += Int64(chunk.count)
        }
        guard copied == size else { throw Failure(path: path, reason: "changed while it was packaged") }
        file.advance(by: copied)
    }

    /// Starts the streaming path: the OVA's head is reserved; disks follow through `append`.
    public func beginStream() throws {
        do {
            let file = try OutputFile(path: layout.path(layout.ovaName) + ".partial")
            output = file
            try file.append([UInt8](repeating: 0, count: Int(layout.firstDisk)))
            streamDigests = []
            streamSizes = []
        } catch {
            abort()
            throw error
        }
    }

    private var streamHasher: SHA256?
    private var streamDigests: [String] = []
    private var streamSizes: [Int64] = []
    private var streamStart: Int64 = 0

    /// Appends bytes of the current disk (the first call opens disk 0; `nextDisk` moves on).
    public func append(_ chunk: [UInt8]) throws {
        guard let file = output else { throw Failure(path: layout.directory, reason: "the stream was not started") }
        do {
            try checkCancelled()
            if streamHasher == nil { try openDisk(file) }
            chunk.withUnsafeBytes { streamHasher?.update(bufferPointer: $0) }
            try file.append(chunk)
        } catch {
            abort()
            throw error
        }
    }

    /// Ends the current disk (a disk that got no bytes is empty).
    public func nextDisk() throws {
        guard let file = output else { return }
        do {
            if streamHasher == nil { try openDisk(file) }
            guard let hasher = streamHasher else { return }
            let size = file.length - streamStart
            // A stream that was cut short, empty or not a VMDK at all ends here, with no OVA.
            if let problem = VMDKCheck.problem(descriptor: file.descriptor, offset: streamStart, size: size) {
                throw Failure(path: layout.path(layout.diskNames[streamSizes.count]), reason: "the streamed disk " + problem)
            }
            var capacities = [Int64?](repeating: nil, count: streamSizes.count)
            capacities.append(VMDKHeader.capacityBytes(descriptor: file.descriptor, offset: streamStart))
            layout = layout.describing(capacities: capacities)
            streamDigests.append(Self.hex(hasher.finalize()))
            streamSizes.append(size)
            try file.append([UInt8](repeating: 0, count: TarHeader.padding(size)))
            streamHasher = nil
        } catch {
            abort()
            throw error
        }
    }

    /// Ends the stream: headers, OVF and manifest are written in their reserved places, then the
    /// OVA is read once to hash it.
    public func finishStream() throws -> Result {
        guard let file = output else { throw Failure(path: layout.directory, reason: "the stream was not started") }
        do {
            if streamHasher != nil { try nextDisk() }
            guard streamSizes.count == layout.descriptor.disks.count else {
                throw Failure(path: layout.directory, reason: "\(streamSizes.count) disks streamed for \(layout.descriptor.disks.count)")
            }
            let (ovf, manifest) = try writeSidecars(sizes: streamSizes, digests: streamDigests)
            if layout.manifestAtEnd { try file.append(layout.manifestMember(manifest)) }
            try file.append([UInt8](repeating: 0, count: TarHeader.trailer(after: file.length)))
            try file.write(layout.head(ovf: ovf, manifest: manifest), at: 0)
            for index in streamSizes.indices {
                try file.write(layout.diskHeaders(index, size: streamSizes[index]), at: layout.diskStart(index, sizes: streamSizes))
            }
            var hasher = SHA256()
            try ReadAhead.forEach(path: file.path, size: file.length) { chunk in
                try checkCancelled()
                hasher.update(bufferPointer: chunk)
            }
            return try finish(sha256: Self.hex(hasher.finalize()), digests: streamDigests, sizes: streamSizes)
        } catch {
            abort()
            throw error
        }
    }

    /// Removes everything partial.
    public func abort() {
        output?.close()
        output = nil
        for name in [layout.ovaName, layout.ovfName, layout.manifestName, layout.checksumName] {
            unlink(layout.path(name) + ".partial")
        }
    }

    private func openDisk(_ file: OutputFile) throws {
        let index = streamSizes.count
        guard index < layout.descriptor.disks.count else { throw Failure(path: layout.directory, reason: "more disks than the descriptor has") }
        // The headers are written when the size is known; their room is kept.
        try file.append([UInt8](repeating: 0, count: 3 * TarHeader.block))
        streamStart = file.length
        streamHasher = SHA256()
    }

    private func writeSidecars(sizes: [Int64], digests: [String]) throws -> (ovf: [UInt8], manifest: [UInt8]) {
        let ovf = layout.ovf(sizes: sizes)
        let manifest = layout.manifest(ovfDigest: Self.hex(SHA256.hash(data: ovf)), diskDigests: digests)
        try OutputFile.writeWhole(ovf, to: layout.path(layout.ovfName) + ".partial")
        try OutputFile.writeWhole(manifest, to: layout.path(layout.manifestName) + ".partial")
        return (ovf, manifest)
    }

    func finish(sha256: String, digests: [String], sizes: [Int64]) throws -> Result {
        try checkCancelled()
        // No fsync: the rename makes the OVA appear whole; durability across a power cut is the
        // file system's (as for cp), and an fsync would only wait for the page cache here.
        output?.close()
        output = nil
        try OutputFile.writeWhole(Array(sha256.utf8), to: layout.path(layout.checksumName) + ".partial")
        for name in [layout.ovfName, layout.manifestName, layout.ovaName, layout.checksumName] {
            guard rename(layout.path(name) + ".partial", layout.path(name)) == 0 else {
                throw Failure(path: layout.path(name), reason: "cannot be renamed into place (errno \(errno))")
            }
        }
        return Result(ova: layout.path(layout.ovaName), sha256: sha256, diskDigests: digests, diskSizes: sizes)
    }

    func checkCancelled() throws {
        if isCancelled() { throw Failure.interrupted(layout.path(layout.ovaName)) }
    }

    static func fileSize(_ path: String) throws -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { throw Failure(path: path, reason: "no such disk file") }
        return Int64(info.st_size)
    }

    public static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in digest { out += [digits[Int(byte >> 4)], digits[Int(byte & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }
}
