import Paths
import SystemCrypto
import Foundation
import ReviewCore
@testable import ReviewKit
import Testing

/// The passphrase-protected key export the dashboard's browser opens (the browser side is
/// Scripts/check/check-serve, in Chromium).
@Suite struct KeyExportTests {
    static let key = try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 7, count: 32))

    @Test func opensWithItsPassphraseOnly() throws {
        let sealed = try KeyExport.seal(Self.key, reviewer: "ann", passphrase: "correct horse battery", iterations: 1000)
        #expect(try sealed.open(passphrase: "correct horse battery").rawRepresentation == Self.key.rawRepresentation)
        #expect(throws: ReviewError.self) { try sealed.open(passphrase: "correct horse batterx") }
        // Relabelled as another reviewer's: the reviewer id is authenticated with the key.
        var relabelled = sealed
        relabelled.reviewer = "ed"
        #expect(throws: ReviewError.self) { try relabelled.open(passphrase: "correct horse battery") }
        // Round trip through the file's JSON, and nothing of the key in it.
        let text = sealed.json
        let read = try JSONDecoder().decode(KeyExport.self, from: Data(text.utf8))
        #expect(read == sealed)
        #expect(!text.contains(Self.key.rawRepresentation.base64EncodedString()))
    }

    @Test func aShortPassphraseIsRefused() {
        #expect(throws: ReviewError.self) { try KeyExport.seal(Self.key, reviewer: "ann", passphrase: "short", iterations: 1000) }
    }

    /// PBKDF2-HMAC-SHA-256 as RFC 7914 section 11 gives it (the browser derives with WebCrypto).
    @Test func derivesAsTheStandardSays() {
        let derived = KeyExport.derive("passwd", salt: Array("salt".utf8), iterations: 1).withUnsafeBytes { Array($0) }
        let hex = derived.map { String(format: "%02x", $0) }.joined()
        #expect(hex == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc")
    }
}
