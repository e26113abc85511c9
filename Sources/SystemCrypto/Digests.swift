import COpenSSL
import Foundation

// The system's libcrypto (OpenSSL 3) behind the names review's code has always used
// (`SHA256.hash(data:)`, `Curve25519.Signing`, `AES.GCM`, `HMAC<SHA256>`): Debian maintains and
// patches it, and building it is no part of review's build (swift-crypto compiled BoringSSL,
// about a quarter of a fresh clone's release build). Only what review uses is here.

/// A hash's result: its bytes, in order.
public protocol Digest: Sequence, Hashable, Sendable where Element == UInt8 {
    static var byteCount: Int { get }
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

/// A hash function fed in parts: `update`, then `finalize` (which leaves it as it was).
public protocol HashFunction: Sendable {
    associatedtype Digest: SystemCrypto.Digest
    /// The block size, which HMAC pads its key to.
    static var blockByteCount: Int { get }
    init()
    mutating func update(bufferPointer: UnsafeRawBufferPointer)
    func finalize() -> Digest
}

extension HashFunction {
    public mutating func update<D: DataProtocol>(data: D) {
        for region in data.regions { region.withUnsafeBytes { update(bufferPointer: $0) } }
    }

    /// The digest of `data`.
    public static func hash<D: DataProtocol>(data: D) -> Digest {
        var hasher = Self()
        hasher.update(data: data)
        return hasher.finalize()
    }
}

/// The bytes of a digest held inline (no allocation per hash), `count` of them used.
public struct DigestBytes: Hashable, Sendable {
    // 32 bytes: SHA-256's digest; SHA-1 uses the first 20.
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    let count: Int

    init(count: Int, _ fill: (UnsafeMutablePointer<UInt8>) -> Void) {
        precondition(count <= 32)
        self.count = count
        withUnsafeMutableBytes(of: &words) { fill($0.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try Swift.withUnsafeBytes(of: words) { try body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
    }

    subscript(i: Int) -> UInt8 { withUnsafeBytes { $0[i] } }

    public static func == (a: DigestBytes, b: DigestBytes) -> Bool {
        a.count == b.count && a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.elementsEqual(y) } }
    }

    public func hash(into hasher: inout Hasher) { withUnsafeBytes { hasher.combine(bytes: $0) } }
}

/// Iterates a digest's bytes.
public struct DigestIterator: IteratorProtocol {
    let bytes: DigestBytes
    var position = 0
    public mutating func next() -> UInt8? {
        guard position < bytes.count else { return nil }
        defer { position += 1 }
        return bytes[position]
    }
}

public struct SHA256Digest: Digest {
    public static var byteCount: Int { 32 }
    let bytes: DigestBytes
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try bytes.withUnsafeBytes(body) }
    public func makeIterator() -> DigestIterator { DigestIterator(bytes: bytes) }
}

/// SHA-256 (FIPS 180-4).
public struct SHA256: HashFunction {
    public static var blockByteCount: Int { 64 }
    private var context = SHA256_CTX()

    public init() { review_sha256_init(&context) }

    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        review_sha256_update(&context, bufferPointer.baseAddress, bufferPointer.count)
    }

    public func finalize() -> SHA256Digest {
        var copy = context
        return SHA256Digest(bytes: DigestBytes(count: 32) { review_sha256_final(&copy, $0) })
    }
}

/// Algorithms kept for compatibility with formats that name them, not for security.
public enum Insecure {
    public struct SHA1Digest: Digest {
        public static var byteCount: Int { 20 }
        let bytes: DigestBytes
        public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try bytes.withUnsafeBytes(body) }
        public func makeIterator() -> DigestIterator { DigestIterator(bytes: bytes) }
    }

    /// SHA-1: git's object ids and pack checksums.
    public struct SHA1: HashFunction {
        public static var blockByteCount: Int { 64 }
        private var context = SHA_CTX()

        public init() { review_sha1_init(&context) }

        public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
            review_sha1_update(&context, bufferPointer.baseAddress, bufferPointer.count)
        }

        public func finalize() -> SHA1Digest {
            var copy = context
            return SHA1Digest(bytes: DigestBytes(count: 20) { review_sha1_final(&copy, $0) })
        }
    }
}

/// HMAC (RFC 2104) over a hash function.
public enum HMAC<H: HashFunction> {
    /// The authentication code of `data` under `key`.
    public static func authenticationCode<D: DataProtocol>(for data: D, using key: SymmetricKey) -> HashedAuthenticationCode<H> {
        var block = key.withUnsafeBytes { key in key.count > H.blockByteCount ? Array(H.hash(data: key)) : Array(key) }
        defer { block.withUnsafeMutableBytes { review_cleanse($0.baseAddress, $0.count) } }
        block += [UInt8](repeating: 0, count: H.blockByteCount - block.count)
        var inner = H()
        var outer = H()
        var pad = block.map { $0 ^ 0x36 }
        inner.update(data: pad)
        pad = block.map { $0 ^ 0x5C }
        outer.update(data: pad)
        pad.withUnsafeMutableBytes { review_cleanse($0.baseAddress, $0.count) }
        inner.update(data: data)
        inner.finalize().withUnsafeBytes { outer.update(bufferPointer: $0) }
        return HashedAuthenticationCode(digest: outer.finalize())
    }
}

/// An HMAC's result: its bytes, in order.
public struct HashedAuthenticationCode<H: HashFunction>: Sequence, Hashable, Sendable {
    let digest: H.Digest
    public func makeIterator() -> H.Digest.Iterator { digest.makeIterator() }
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try digest.withUnsafeBytes(body) }
}
