import COpenSSL
import Foundation

/// AES-GCM with 12-byte nonces and 16-byte tags (NIST SP 800-38D).
public enum AES {
    public enum GCM {
        /// A 12-byte nonce.
        public struct Nonce: ContiguousBytes, Sequence, Sendable {
            let bytes: [UInt8]

            /// A random nonce.
            public init() { bytes = SecretBytes(random: 12).withUnsafeBytes { Array($0) } }

            /// This nonce (12 bytes; any other length is refused).
            public init<D: DataProtocol>(data: D) throws {
                bytes = contiguous(data)
                guard bytes.count == 12 else { throw CryptoKitError.incorrectParameterSize }
            }

            public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try bytes.withUnsafeBytes(body) }
            public func makeIterator() -> IndexingIterator<[UInt8]> { bytes.makeIterator() }
        }

        /// A sealed message: nonce, ciphertext and tag.
        public struct SealedBox: Sendable {
            public let nonce: Nonce
            public let ciphertext: Data
            public let tag: Data

            public init<C: DataProtocol, T: DataProtocol>(nonce: Nonce, ciphertext: C, tag: T) throws {
                guard tag.count == 16 else { throw CryptoKitError.incorrectParameterSize }
                self.nonce = nonce
                self.ciphertext = Data(ciphertext)
                self.tag = Data(tag)
            }

            /// Nonce, ciphertext and tag, one after the other.
            public var combined: Data? { Data(nonce.bytes) + ciphertext + tag }
        }

        /// Seals `message` with `key` (16, 24 or 32 bytes), authenticating `authenticatedData` too.
        public static func seal<P: DataProtocol, A: DataProtocol>(_ message: P, using key: SymmetricKey, nonce: Nonce? = nil,
                                                                   authenticating authenticatedData: A) throws -> SealedBox {
            let nonce = nonce ?? Nonce()
            let plaintext = contiguous(message)
            var out = [UInt8](repeating: 0, count: plaintext.count)
            var tag = [UInt8](repeating: 0, count: 16)
            try run(encrypt: true, key: key, nonce: nonce, authenticatedData: authenticatedData, input: plaintext, output: &out, tag: &tag)
            return try SealedBox(nonce: nonce, ciphertext: out, tag: tag)
        }

        public static func seal<P: DataProtocol>(_ message: P, using key: SymmetricKey, nonce: Nonce? = nil) throws -> SealedBox {
            try seal(message, using: key, nonce: nonce, authenticating: [UInt8]())
        }

        /// The message in `box`, when its tag verifies under `key` and `authenticatedData`.
        public static func open<A: DataProtocol>(_ box: SealedBox, using key: SymmetricKey, authenticating authenticatedData: A) throws -> Data {
            let ciphertext = [UInt8](box.ciphertext)
            var out = [UInt8](repeating: 0, count: ciphertext.count)
            var tag = [UInt8](box.tag)
            do {
                try run(encrypt: false, key: key, nonce: box.nonce, authenticatedData: authenticatedData, input: ciphertext, output: &out, tag: &tag)
            } catch {
                out.withUnsafeMutableBytes { review_cleanse($0.baseAddress, $0.count) }
                throw error
            }
            return Data(out)
        }

        public static func open(_ box: SealedBox, using key: SymmetricKey) throws -> Data {
            try open(box, using: key, authenticating: [UInt8]())
        }

        private static func run<A: DataProtocol>(encrypt: Bool, key: SymmetricKey, nonce: Nonce, authenticatedData: A, input: [UInt8],
                                                 output: inout [UInt8], tag: inout [UInt8]) throws {
            guard [16, 24, 32].contains(key.secret.count) else { throw CryptoKitError.incorrectKeySize }
            let ok = key.withUnsafeBytes { key in
                nonce.withUnsafeBytes { nonce in
                    withBytes(authenticatedData) { aad in
                        input.withUnsafeBytes { input in
                            output.withUnsafeMutableBufferPointer { output in
                                tag.withUnsafeMutableBufferPointer { tag in
                                    review_aes_gcm(encrypt ? 1 : 0, key.baseAddress!.assumingMemoryBound(to: UInt8.self), key.count,
                                                   nonce.baseAddress!.assumingMemoryBound(to: UInt8.self), aad.baseAddress, aad.count,
                                                   input.baseAddress, input.count, output.baseAddress, tag.baseAddress)
                                }
                            }
                        }
                    }
                }
            }
            guard ok == 1 else { throw encrypt ? CryptoKitError.underlyingCoreCryptoError : CryptoKitError.authenticationFailure }
        }
    }
}
