import CLibCrypto

/// SHA-512 over OpenSSL's libcrypto: Glance's `os_hash_value` of what was sent. A value: a copy
/// carries the state so far.
public struct SHA512: Sendable {
    private var context = SHA512_CTX()

    public init() { SHA512_Init(&context) }

    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        guard let base = bufferPointer.baseAddress, bufferPointer.count > 0 else { return }
        SHA512_Update(&context, base, bufferPointer.count)
    }

    /// The 64 digest bytes of everything given so far (the hasher itself is left as it was).
    public func finalize() -> [UInt8] {
        var copy = context
        var digest = [UInt8](repeating: 0, count: Int(SHA512_DIGEST_LENGTH))
        SHA512_Final(&digest, &copy)
        return digest
    }
}
