import CLibCrypto

/// SHA-256 over OpenSSL's libcrypto (its SHA-NI assembly): the manifest's, the OVA's and the
/// uploads' digests. A value: a copy carries the state so far.
public struct SHA256: Sendable {
    private var context = SHA256_CTX()

    public init() { SHA256_Init(&context) }

    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        guard let base = bufferPointer.baseAddress, bufferPointer.count > 0 else { return }
        SHA256_Update(&context, base, bufferPointer.count)
    }

    /// The 32 digest bytes of everything given so far (the hasher itself is left as it was).
    public func finalize() -> [UInt8] {
        var copy = context
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        SHA256_Final(&digest, &copy)
        return digest
    }

    public static func hash(data: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        data.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return hasher.finalize()
    }
}
