import COpenSSL
import Foundation

/// What a cryptographic operation refused.
public enum CryptoKitError: Error, Equatable, Sendable {
    /// A key of a length the algorithm does not take.
    case incorrectKeySize
    /// A nonce, tag or other parameter of the wrong length.
    case incorrectParameterSize
    /// The tag or signature does not verify.
    case authenticationFailure
    /// libcrypto failed (out of memory, no randomness).
    case underlyingCoreCryptoError
}

/// Secret bytes, overwritten when the last copy of them goes away.
final class SecretBytes: @unchecked Sendable {
    // Written only at creation and in deinit, so shared reads are safe.
    private var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// `count` bytes from the system's random generator.
    init(random count: Int) {
        bytes = [UInt8](repeating: 0, count: count)
        let ok = bytes.withUnsafeMutableBufferPointer { review_random($0.baseAddress, $0.count) }
        // No randomness is not a state to go on from: a key or nonce of zeros would be worse.
        precondition(ok == 1, "libcrypto could not produce random bytes")
    }

    deinit { bytes.withUnsafeMutableBytes { review_cleanse($0.baseAddress, $0.count) } }

    var count: Int { bytes.count }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try bytes.withUnsafeBytes(body) }
}

/// The sizes a symmetric key can be made in.
public struct SymmetricKeySize: Sendable {
    public let bitCount: Int
    public init(bitCount: Int) { self.bitCount = bitCount }
    public static let bits128 = SymmetricKeySize(bitCount: 128)
    public static let bits192 = SymmetricKeySize(bitCount: 192)
    public static let bits256 = SymmetricKeySize(bitCount: 256)
}

/// A secret key for AES-GCM or HMAC.
public struct SymmetricKey: ContiguousBytes, Sendable {
    let secret: SecretBytes

    /// A key of these bytes.
    public init<D: ContiguousBytes>(data: D) { secret = SecretBytes(data.withUnsafeBytes { Array($0) }) }

    /// A random key of this size.
    public init(size: SymmetricKeySize) { secret = SecretBytes(random: size.bitCount / 8) }

    public var bitCount: Int { secret.count * 8 }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try secret.withUnsafeBytes(body) }
}

/// A contiguous copy of `data`'s bytes, for the C calls.
func contiguous<D: DataProtocol>(_ data: D) -> [UInt8] {
    data.regions.count == 1 ? data.regions.first!.withUnsafeBytes { Array($0) } : Array(data)
}

/// Runs `body` over `data`'s bytes, copying only when they are not in one piece.
func withBytes<D: DataProtocol, R>(_ data: D, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    if data.regions.count == 1, let region = data.regions.first {
        return try region.withUnsafeBytes(body)
    }
    return try Array(data).withUnsafeBytes(body)
}

/// Ed25519 (RFC 8032).
public enum Curve25519 {
    public enum Signing {
        /// A private key: its 32-byte seed.
        public struct PrivateKey: Sendable {
            let seed: SecretBytes
            /// The matching public key.
            public let publicKey: PublicKey

            /// A new random key.
            public init() {
                try! self.init(seed: SecretBytes(random: 32))  // 32 random bytes always make a key
            }

            /// The key with this 32-byte seed.
            public init<D: ContiguousBytes>(rawRepresentation data: D) throws {
                try self.init(seed: SecretBytes(data.withUnsafeBytes { Array($0) }))
            }

            private init(seed: SecretBytes) throws {
                guard seed.count == 32 else { throw CryptoKitError.incorrectKeySize }
                var raw = [UInt8](repeating: 0, count: 32)
                let ok = seed.withUnsafeBytes { s in
                    raw.withUnsafeMutableBufferPointer { review_ed25519_public_key(s.baseAddress!.assumingMemoryBound(to: UInt8.self), $0.baseAddress) }
                }
                guard ok == 1 else { throw CryptoKitError.underlyingCoreCryptoError }
                self.seed = seed
                publicKey = PublicKey(raw: raw)
            }

            /// The 32-byte seed.
            public var rawRepresentation: Data { seed.withUnsafeBytes { Data($0) } }

            /// The 64-byte signature of `data`.
            public func signature<D: DataProtocol>(for data: D) throws -> Data {
                var signature = [UInt8](repeating: 0, count: 64)
                let ok = seed.withUnsafeBytes { s in
                    withBytes(data) { message in
                        signature.withUnsafeMutableBufferPointer {
                            review_ed25519_sign(s.baseAddress!.assumingMemoryBound(to: UInt8.self), message.baseAddress, message.count, $0.baseAddress)
                        }
                    }
                }
                guard ok == 1 else { throw CryptoKitError.underlyingCoreCryptoError }
                return Data(signature)
            }
        }

        /// A public key: its 32 bytes.
        public struct PublicKey: Sendable {
            let raw: [UInt8]

            init(raw: [UInt8]) { self.raw = raw }

            /// The key of these 32 bytes (whether they are a usable point is for verification to find).
            public init<D: ContiguousBytes>(rawRepresentation data: D) throws {
                let raw = data.withUnsafeBytes { Array($0) }
                guard raw.count == 32 else { throw CryptoKitError.incorrectKeySize }
                self.raw = raw
            }

            public var rawRepresentation: Data { Data(raw) }

            /// Whether `signature` is this key's signature of `data`.
            public func isValidSignature<S: DataProtocol, D: DataProtocol>(_ signature: S, for data: D) -> Bool {
                withBytes(signature) { signature in
                    withBytes(data) { message in
                        raw.withUnsafeBufferPointer {
                            review_ed25519_verify($0.baseAddress, signature.baseAddress, signature.count, message.baseAddress, message.count)
                        }
                    }
                } == 1
            }
        }
    }
}
