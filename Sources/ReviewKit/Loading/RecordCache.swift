import Paths
import BinaryStore
import GitKit
import ReviewCore

/// Parsed sign-off records by blob id, kept in `<git dir>/review/records.cache` so a run reads
/// and parses only records it has not seen (``BlobCache``). It never says whether a signature
/// verifies: every run checks every counting signature itself (issue 31: another job on a
/// shared runner, as the same user, can write the cache and its key).
typealias RecordCache = BlobCache<RecordCodec>

enum RecordCodec: BlobCacheCodec {
    static let name = "records.cache"
    static let magic = "review record cache 5"

    struct Entry: Sendable {
        var signOff: SignOff
    }

    /// Only records whose signature has the 64 bytes Ed25519 needs are worth keeping.
    static func keeps(_ entry: Entry) -> Bool {
        entry.signOff.signature.count == 64
    }

    static func write(_ entry: Entry, into w: inout BinaryWriter) {
        let s = entry.signOff
        for text in [s.article.text, s.blob, s.sha256, s.reviewer, s.role, s.decision.rawValue] { w.string(text) }
        w.i64(s.timestamp)
        w.string(s.comment)
        w.raw(s.signature)
        // Version 4: the fields signed only when present (a retraction's reason, a change note).
        w.optionalString(s.reason)
        w.optionalString(s.changeNote)
    }

    static func read(_ r: inout BinaryReader) -> Entry? {
        guard let article = r.string(), let revision = r.string(), let sha256 = r.string(),
              let reviewer = r.string(), let role = r.string(), let decisionText = r.string(),
              let decision = SignOff.Decision(rawValue: decisionText), let timestamp = r.i64(), let comment = r.string(),
              let signature = r.raw(64), let reason = r.optionalString(), let changeNote = r.optionalString() else { return nil }
        var signOff = SignOff(article: GitPath(article), blob: revision, sha256: sha256, reviewer: reviewer, role: role, decision: decision,
                              timestamp: timestamp, comment: comment, signature: Array(signature))
        signOff.reason = reason
        signOff.changeNote = changeNote
        return Entry(signOff: signOff)
    }
}
