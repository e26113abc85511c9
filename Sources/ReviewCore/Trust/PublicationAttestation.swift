import Paths
import SystemCrypto
import Foundation

/// What `review publish` signs: an in-toto statement naming every file it put on the published
/// ref (by git blob id and SHA-256), and for each article the sign-off records and the
/// configuration version that justify it. Stored in the published tree as a DSSE envelope
/// (``SignedEnvelope``), signed by a publisher key the root lists.
public struct PublicationStatement: Codable, Sendable, Equatable {
    public struct Subject: Codable, Sendable, Equatable {
        public var name: String
        /// `gitBlob` and `sha256`, lowercase hex.
        public var digest: [String: String]

        public init(name: String, gitBlob: String, sha256: String) {
            self.name = name
            digest = ["gitBlob": gitBlob, "sha256": sha256]
        }
    }

    /// A sign-off record that justifies an article: its path and the SHA-256 of its canonical
    /// (signed) encoding, so a reformatted file is still the same record.
    public struct RecordReference: Codable, Sendable, Equatable, Hashable {
        public var path: GitPath
        public var reviewer: String
        public var role: String
        public var sha256: String

        public init(path: GitPath, signOff: SignOff) {
            self.path = path
            reviewer = signOff.reviewer
            role = signOff.role
            sha256 = SHA256.hash(data: signOff.canonicalEncoding).hex
        }
    }

    public struct Justification: Codable, Sendable, Equatable {
        public var path: GitPath
        public var blob: String
        public var records: [RecordReference]
        /// The article's rendered page in the site (`flu.html`); the statement's subject
        /// `_site/flu.html` gives its digest. `nil` in publications made before pages were signed.
        public var page: String?

        public init(path: GitPath, blob: String, records: [RecordReference], page: String? = nil) {
            self.path = path
            self.blob = blob
            self.records = records
            self.page = page
        }
    }

    public struct Predicate: Codable, Sendable, Equatable {
        /// The commit of the branch that was published from.
        public var source: String
        /// The configuration version in force there, its statement's digest, and the first
        /// root's fingerprint (all `nil` where no root governs).
        public var configurationVersion: Int?
        public var configurationDigest: String?
        public var firstRoot: String?
        /// The day given as today (`--as-of`).
        public var publishedOn: String
        public var articles: [Justification]
        /// The SHA-256 of the record log the source's history held (``RecordLogAttestation``,
        /// on the published ref beside the statement) and how many records it names; `nil` in
        /// publications made before the log was attested.
        public var recordLog: String?
        public var recordCount: Int?

        public init(source: String, configurationVersion: Int?, configurationDigest: String?, firstRoot: String?,
                    publishedOn: String, articles: [Justification], recordLog: RecordLogAttestation? = nil) {
            self.source = source
            self.configurationVersion = configurationVersion
            self.configurationDigest = configurationDigest
            self.firstRoot = firstRoot
            self.publishedOn = publishedOn
            self.articles = articles
            self.recordLog = recordLog?.digest
            self.recordCount = recordLog?.entries.count
        }
    }

    public var type = "https://in-toto.io/Statement/v1"
    public var subject: [Subject]
    public var predicateType = PublicationStatement.predicateType
    public var predicate: Predicate

    public static let predicateType = "https://review.invalid/publication/v1"
    /// The envelope's payload type.
    public static let payloadType = "application/vnd.in-toto+json"
    /// Where the envelope lies in the published tree.
    public static let path: GitPath = "publication.intoto.json"

    enum CodingKeys: String, CodingKey {
        case type = "_type", subject, predicateType, predicate
    }

    public init(subject: [Subject], predicate: Predicate) {
        self.subject = subject
        self.predicate = predicate
    }

    /// The statement's bytes (sorted keys, so the same statement always has the same bytes).
    public var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data())
    }

    public static func decode(_ bytes: [UInt8]) -> PublicationStatement? {
        try? JSONDecoder().decode(PublicationStatement.self, from: Data(bytes))
    }
}

/// A DSSE envelope (Dead Simple Signing Envelope): the payload's bytes are signed as they are,
/// through the pre-authentication encoding, so no canonical JSON is ever needed.
public struct SignedEnvelope: Codable, Sendable, Equatable {
    public struct Signature: Codable, Sendable, Equatable {
        /// The signer's id as the root names it (informative).
        public var keyid: String
        /// Base64 of the signer's raw Ed25519 public key (the root decides whether it counts).
        public var publicKey: String
        /// Base64 of the 64-byte Ed25519 signature over the PAE.
        public var sig: String
    }

    public var payloadType: String
    /// Base64 of the payload bytes.
    public var payload: String
    public var signatures: [Signature]

    /// DSSE's pre-authentication encoding: "DSSEv1", the type and the body with their lengths.
    public static func pae(type: String, body: [UInt8]) -> [UInt8] {
        Array("DSSEv1 \(type.utf8.count) \(type) \(body.count) ".utf8) + body
    }

    /// Signs `payload` with `key`.
    public static func sign(_ payload: [UInt8], type: String, keyID: String, key: Curve25519.Signing.PrivateKey) throws -> SignedEnvelope {
        let signature = try key.signature(for: pae(type: type, body: payload))
        return SignedEnvelope(payloadType: type, payload: Data(payload).base64EncodedString(),
                              signatures: [Signature(keyid: keyID, publicKey: key.publicKey.rawRepresentation.base64EncodedString(),
                                                     sig: Data(signature).base64EncodedString())])
    }

    /// The payload bytes, when they decode.
    public var payloadBytes: [UInt8]? { Data(base64Encoded: payload).map(Array.init) }

    /// The public keys (raw) whose signatures verify over the payload.
    public func verifiedKeys() -> Set<[UInt8]> {
        guard let body = payloadBytes else { return [] }
        let message = Self.pae(type: payloadType, body: body)
        var out: Set<[UInt8]> = []
        for signature in signatures {
            guard let raw = Data(base64Encoded: signature.publicKey), raw.count == 32, PublicKeyCheck.problem(Array(raw)) == nil,
                  let sig = Data(base64Encoded: signature.sig), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw),
                  key.isValidSignature(sig, for: message) else { continue }
            out.insert(Array(raw))
        }
        return out
    }

    public var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data()) + [0x0A]
    }

    public static func decode(_ bytes: [UInt8]) -> SignedEnvelope? {
        try? JSONDecoder().decode(SignedEnvelope.self, from: Data(bytes))
    }
}

/// Checks a published tree against its attestation and the approvals: what `review verify`
/// reports about `refs/heads/published`. Pure: the caller reads the tree and evaluates HEAD.
public enum PublicationCheck {
    /// One published article, as the tree holds it.
    public struct PublishedArticle: Sendable {
        public var path: GitPath
        public var blob: String
        public init(path: GitPath, blob: String) {
            self.path = path
            self.blob = blob
        }
    }

    /// - Parameters:
    ///   - envelope: the attestation's bytes in the published tree (`nil` when there is none).
    ///   - files: every file of the published tree with its blob id (path → blob).
    ///   - root: the root in force at HEAD (`nil`: ungoverned).
    ///   - justified: whether an article's published blob has counting approvals in every
    ///     required role (decided by the caller from HEAD's evaluation).
    public static func findings(envelope: [UInt8]?, files: [GitPath: String], articles: [PublishedArticle], root: TrustRoot?,
                                justified: (PublishedArticle) -> String?) -> [Finding] {
        var findings: [Finding] = []
        let ref = ContentLayout.publishedReference
        if let root, !root.publishers.isEmpty {
            guard let bytes = envelope, let parsed = SignedEnvelope.decode(bytes), let payload = parsed.payloadBytes,
                  let statement = PublicationStatement.decode(payload), parsed.payloadType == PublicationStatement.payloadType else {
                return [Finding(.unjustifiedPublication, path: PublicationStatement.path,
                                "\(ref) carries no readable publication attestation; nothing on it can be trusted: run 'review publish' with a publisher key")]
            }
            let signers = root.publishers.filter { parsed.verifiedKeys().contains($0.publicKey) }
            if signers.isEmpty {
                findings.append(Finding(.unjustifiedPublication, path: PublicationStatement.path,
                                        "the publication attestation on \(ref) is not signed by a publisher key the root lists; it was not made by 'review publish': publish again"))
            }
            let subjects = Dictionary(statement.subject.map { (GitPath($0.name), $0.digest["gitBlob"] ?? "") }, uniquingKeysWith: { a, _ in a })
            for (path, blob) in files.sorted(by: { $0.key < $1.key }) where path != PublicationStatement.path && subjects[path] != blob {
                findings.append(Finding(.unjustifiedPublication, path: path,
                                        "\(ref) holds this file at \(blob.prefix(7)), which the signed publication does not name; it was pushed, not published: run 'review publish'"))
            }
        }
        for article in articles {
            if let problem = justified(article) {
                findings.append(Finding(.unjustifiedPublication, path: article.path, "\(ref) holds revision \(article.blob.prefix(7)), which \(problem); run 'review publish' to replace it"))
            }
        }
        return findings.sorted()
    }
}
