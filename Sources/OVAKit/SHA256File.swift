/// The SHA-256 of a file, read ahead on a second thread (constant memory).
public enum SHA256File {
    public static func hex(_ path: String) throws -> String {
        var hasher = SHA256()
        try ReadAhead.forEach(path: path, size: OVAWriter.fileSize(path)) { hasher.update(bufferPointer: $0) }
        return OVAWriter.hex(hasher.finalize())
    }
}
