import Paths
import SystemCrypto
import Foundation
import ReviewCore

/// A reviewer's private key sealed under a passphrase, for the dashboard: the browser opens it
/// with WebCrypto (PBKDF2-SHA-256, then AES-256-GCM) and signs; neither the key nor the
/// passphrase reaches the server. `review keygen ID --export FILE` writes one.
///
/// ```json
/// {"format": "review-key-export/1", "reviewer": "ann", "kdf": "PBKDF2-SHA-256",
///  "iterations": 600000, "salt": "…", "iv": "…", "sealed": "…"}
/// ```
///
/// `sealed` is the AES-GCM ciphertext of the 32-byte key followed by the 16-byte tag (as
/// WebCrypto writes and reads it), authenticated with the format and reviewer id as
/// additional data, so an export cannot be relabelled as another reviewer's.
public struct KeyExport: Codable, Sendable, Equatable {
    public static let formatName = "review-key-export/1"
    /// OWASP's 2023 figure for PBKDF2-HMAC-SHA-256.
    public static let defaultIterations = 600_000

    public var format: String
    public var reviewer: String
    public var kdf: String
    public var iterations: Int
    public var salt: String
    public var iv: String
    public var sealed: String

    /// Seals `key` under `passphrase`.
    public static func seal(_ key: Curve25519.Signing.PrivateKey, reviewer: String, passphrase: String,
                            iterations: Int = defaultIterations) throws(ReviewError) -> KeyExport {
        guard passphrase.utf8.count >= 12 else {
            throw ReviewError("the passphrase must be at least 12 characters", remedy: "choose a longer passphrase (a few words)")
        }
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }
        let nonce = AES.GCM.Nonce()
        let secret = derive(passphrase, salt: salt, iterations: iterations)
        guard let box = try? AES.GCM.seal(key.rawRepresentation, using: secret, nonce: nonce, authenticating: additionalData(reviewer)) else {
            throw ReviewError("cannot seal the key")
        }
        return KeyExport(format: formatName, reviewer: reviewer, kdf: "PBKDF2-SHA-256", iterations: iterations,
                         salt: Data(salt).base64EncodedString(), iv: Data(nonce).base64EncodedString(),
                         sealed: (box.ciphertext + box.tag).base64EncodedString())
    }

    /// Opens the export (what the browser does), for tests and for `keygen --export`'s own check.
    public func open(passphrase: String) throws(ReviewError) -> Curve25519.Signing.PrivateKey {
        guard format == Self.formatName, kdf == "PBKDF2-SHA-256", (1...10_000_000).contains(iterations),
              let salt = Data(base64Encoded: salt), let iv = Data(base64Encoded: iv), let sealed = Data(base64Encoded: sealed),
              sealed.count == 48, let nonce = try? AES.GCM.Nonce(data: iv),
              let box = try? AES.GCM.SealedBox(nonce: nonce, ciphertext: sealed.prefix(32), tag: sealed.suffix(16)) else {
            throw ReviewError("not a \(Self.formatName) key export", remedy: "make one with 'review keygen ID --export FILE'")
        }
        let secret = Self.derive(passphrase, salt: Array(salt), iterations: iterations)
        guard let raw = try? AES.GCM.open(box, using: secret, authenticating: Self.additionalData(reviewer)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw ReviewError("the passphrase does not open this key export", remedy: "type the passphrase it was exported with")
        }
        return key
    }

    static func additionalData(_ reviewer: String) -> [UInt8] { Array("\(formatName) \(reviewer)".utf8) }

    /// PBKDF2-HMAC-SHA-256 (RFC 8018) for one 32-byte block.
    static func derive(_ passphrase: String, salt: [UInt8], iterations: Int) -> SymmetricKey {
        let key = SymmetricKey(data: Array(passphrase.utf8))
        var u = Array(HMAC<SHA256>.authenticationCode(for: salt + [0, 0, 0, 1], using: key))
        var out = u
        for _ in 1..<max(iterations, 1) {
            u = Array(HMAC<SHA256>.authenticationCode(for: u, using: key))
            for i in out.indices { out[i] ^= u[i] }
        }
        return SymmetricKey(data: out)
    }

    /// The export as the file holds it.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self) + "\n"
    }
}
