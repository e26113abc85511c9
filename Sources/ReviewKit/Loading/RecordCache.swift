import Paths
import BinaryStore
import GitKit
import ReviewCore

/// Parsed sign-off records by blob id, each with the public key its signature verified with,
/// kept in `<git dir>/review/records.cache` so a run reads, parses and verifies only records
/// it has not seen (an Ed25519 check costs far more than everything else a record needs). A
/// signature verified with a key stays verified with that key (``BlobCache``).
typealias RecordCache = BlobCache<RecordCodec>

enum RecordCodec: BlobCacheCodec {
    static let name = "records.cache"
    static let magic = "review record cache 2"

    struct Entry: Sendable {
        var signOff: SignOff
        /// The key the signature verified with, if it verified with the key it was checked against.
        var verifiedWith: [UInt8]?
    }

    /// Only records whose signature has the 64 bytes Ed25519 needs are worth keeping.
    static func keeps(_ entry: Entry) -> Bool {
        entry.signOff.signature.count == 64 && (entry.verifiedWith?.count ?? 32) == 32
    }

    static func write(_ entry: Entry, into w: inout BinaryWriter) {
        let s = entry.signOff
        for text in [s.article.text, s.blob, s.sha256, s.reviewer, s.role, s.decision.rawValue] { w.string(text) }
        w.i64(s.timestamp)
        w.string(s.comment)
        w.raw(s.signature)
        w.bool(entry.verifiedWith != nil)
        if let key = entry.verifiedWith { w.raw(key) }
    }

    static func read(_ r: inout BinaryReader) -> Entry? {
        guard let article = r.string(), let revision = r.string(), let sha256 = r.string(),
              let reviewer = r.string(), let role = r.string(), let decisionText = r.string(),
              let decision = SignOff.Decision(rawValue: decisionText), let timestamp = r.i64(), let comment = r.string(),
              let signature = r.raw(64), let hasKey = r.bool() else { return nil }
        var verifiedWith: [UInt8]?
        if hasKey {
            guard let key = r.raw(32) else { return nil }
            verifiedWith = Array(key)
        }
        let signOff = SignOff(article: GitPath(article), blob: revision, sha256: sha256, reviewer: reviewer, role: role, decision: decision,
                              timestamp: timestamp, comment: comment, signature: Array(signature))
        return Entry(signOff: signOff, verifiedWith: verifiedWith)
    }
}
