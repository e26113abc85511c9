import Dispatch
import Foundation
import SystemCrypto
import Testing

/// The primitives over the system's libcrypto, against the published test vectors (FIPS 180,
/// RFC 4231, RFC 8032, NIST's GCM test cases), and refusing every tampered input.
@Suite struct SystemCryptoTests {
    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var digits = hex.utf8.makeIterator()
        while let high = digits.next(), let low = digits.next() {
            out.append(UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)!)
        }
        return out
    }

    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    @Test func sha256MatchesFIPS180() {
        #expect(Self.hex(SHA256.hash(data: Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Self.hex(SHA256.hash(data: [UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256Digest.byteCount == 32)
    }

    @Test func hashingInPartsIsHashingTheWhole() {
        let text = Array(String(repeating: "medically reviewed ", count: 1000).utf8)
        var hasher = SHA256()
        hasher.update(data: text[..<7])
        let halfway = hasher.finalize()  // finalizing leaves the hasher as it was
        hasher.update(data: text[7...])
        #expect(hasher.finalize() == SHA256.hash(data: text))
        #expect(halfway == SHA256.hash(data: text[..<7]))
        // Bytes in more than one region (DispatchData) hash as the same bytes in one.
        var data = DispatchData.empty
        text[..<100].withUnsafeBytes { data.append($0) }
        text[100...].withUnsafeBytes { data.append($0) }
        #expect(data.regions.count == 2)
        #expect(SHA256.hash(data: data) == SHA256.hash(data: text))
        #expect(Set([SHA256.hash(data: text), SHA256.hash(data: text), SHA256.hash(data: [1])]).count == 2)
    }

    @Test func sha1MatchesFIPS180() {
        #expect(Self.hex(Insecure.SHA1.hash(data: Array("abc".utf8))) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(Array(Insecure.SHA1.hash(data: [UInt8]())).count == 20)
    }

    @Test func hmacMatchesRFC4231() {
        let code = HMAC<SHA256>.authenticationCode(for: Array("what do ya want for nothing?".utf8), using: SymmetricKey(data: Array("Jefe".utf8)))
        #expect(Self.hex(code) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // A key longer than the block is hashed first (Python's hmac computed the expected value).
        let long = HMAC<SHA256>.authenticationCode(for: Array("long key".utf8), using: SymmetricKey(data: [UInt8](repeating: 0x6B, count: 100)))
        #expect(Self.hex(long) == "5903eedefe0bba3f15b658715e41d71f1848739bddf19e497e968df5723dcd56")
    }

    // RFC 8032, section 7.1, test 1 (the empty message) and test 2.
    @Test func ed25519MatchesRFC8032() throws {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: Self.bytes("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))
        #expect(Self.hex(key.publicKey.rawRepresentation) == "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
        let signature = try key.signature(for: [UInt8]())
        #expect(Self.hex(signature) == "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b")
        #expect(key.publicKey.isValidSignature(signature, for: [UInt8]()))
        let second = try Curve25519.Signing.PrivateKey(rawRepresentation: Self.bytes("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"))
        #expect(Self.hex(second.publicKey.rawRepresentation) == "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")
        #expect(Self.hex(try second.signature(for: [0x72])) == "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00")
        #expect(Self.hex(key.rawRepresentation) == "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    }

    @Test func ed25519RefusesWhatWasNotSigned() throws {
        let key = Curve25519.Signing.PrivateKey()
        let message = Array("approved: iron-deficiency".utf8)
        let signature = Array(try key.signature(for: message))
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: message + [0x0A]))
        for i in [0, 31, 32, 63] {
            var flipped = signature
            flipped[i] ^= 1
            #expect(!key.publicKey.isValidSignature(flipped, for: message))
        }
        #expect(!key.publicKey.isValidSignature(signature.dropLast(), for: message))
        #expect(!key.publicKey.isValidSignature(signature + [0], for: message))
        #expect(!Curve25519.Signing.PrivateKey().publicKey.isValidSignature(signature, for: message))
        #expect(throws: CryptoKitError.incorrectKeySize) { try Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: 31)) }
        #expect(throws: CryptoKitError.incorrectKeySize) { try Curve25519.Signing.PublicKey(rawRepresentation: [UInt8](repeating: 1, count: 33)) }
        // Two random keys differ.
        #expect(Curve25519.Signing.PrivateKey().rawRepresentation != Curve25519.Signing.PrivateKey().rawRepresentation)
    }

    // NIST's GCM test case 16 (AES-256, 60 bytes of plaintext, 20 of additional data).
    @Test func aesGCMMatchesNIST() throws {
        let key = SymmetricKey(data: Self.bytes("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"))
        let nonce = try AES.GCM.Nonce(data: Self.bytes("cafebabefacedbaddecaf888"))
        let plaintext = Self.bytes("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39")
        let aad = Self.bytes("feedfacedeadbeeffeedfacedeadbeefabaddad2")
        let box = try AES.GCM.seal(plaintext, using: key, nonce: nonce, authenticating: aad)
        #expect(Self.hex(box.ciphertext) == "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662")
        #expect(Self.hex(box.tag) == "76fc6ece0f4e1768cddf8853bb2d551b")
        #expect(Array(try AES.GCM.open(box, using: key, authenticating: aad)) == plaintext)
        #expect(key.bitCount == 256)
    }

    @Test func aesGCMRefusesEveryTamperedPart() throws {
        let key = SymmetricKey(size: .bits256)
        let aad = Array("segment 3 of the history index".utf8)
        for plaintext in [[UInt8](), Array("a description".utf8)] {
            let box = try AES.GCM.seal(plaintext, using: key, authenticating: aad)
            #expect(Array(try AES.GCM.open(box, using: key, authenticating: aad)) == plaintext)
            #expect(throws: CryptoKitError.authenticationFailure) { try AES.GCM.open(box, using: key, authenticating: aad + [0]) }
            #expect(throws: CryptoKitError.authenticationFailure) { try AES.GCM.open(box, using: SymmetricKey(size: .bits256), authenticating: aad) }
            var tag = Array(box.tag)
            tag[15] ^= 0x80
            #expect(throws: CryptoKitError.authenticationFailure) {
                try AES.GCM.open(AES.GCM.SealedBox(nonce: box.nonce, ciphertext: box.ciphertext, tag: tag), using: key, authenticating: aad)
            }
            var nonce = Array(box.nonce)
            nonce[0] ^= 1
            #expect(throws: CryptoKitError.authenticationFailure) {
                try AES.GCM.open(AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: box.ciphertext, tag: box.tag), using: key, authenticating: aad)
            }
            if !plaintext.isEmpty {
                var ciphertext = Array(box.ciphertext)
                ciphertext[0] ^= 1
                #expect(throws: CryptoKitError.authenticationFailure) {
                    try AES.GCM.open(AES.GCM.SealedBox(nonce: box.nonce, ciphertext: ciphertext, tag: box.tag), using: key, authenticating: aad)
                }
            }
        }
        #expect(throws: CryptoKitError.incorrectParameterSize) { try AES.GCM.Nonce(data: [UInt8](repeating: 0, count: 16)) }
        #expect(throws: CryptoKitError.incorrectParameterSize) { try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(), ciphertext: [1], tag: [1, 2]) }
        #expect(throws: CryptoKitError.incorrectKeySize) { try AES.GCM.seal([1], using: SymmetricKey(data: [UInt8](repeating: 0, count: 20))) }
        // Two random nonces differ.
        #expect(Array(AES.GCM.Nonce()) != Array(AES.GCM.Nonce()))
    }
}
