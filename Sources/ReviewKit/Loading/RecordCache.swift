import BinaryStore
import GitKit
import ReviewCore

/// Parsed sign-off records by blob id, each with the public key its signature verified with,
/// kept in `<git dir>/review/records.cache` so a run reads, parses and verifies only records
/// it has not seen (an Ed25519 check costs far more than everything else a record needs).
///
/// A blob id names the record's bytes, so a parse is the answer parsing would give; a
/// signature verified with a key stays verified with that key. The file is a ``CacheFile``:
/// trusted only when written by this build under the user's ``CacheKey``, so no one who can
/// write the git directory can plant a "verified" entry.
struct RecordCache {
    static let name = "records.cache"
    static let magic = "review record cache 1"

    struct Entry: Sendable {
        var signOff: SignOff
        /// The key the signature verified with, if it verified with the key it was checked against.
        var verifiedWith: [UInt8]?
    }

    private(set) var entries: [ObjectID: Entry] = [:]
    private(set) var isModified = false

    subscript(blob: ObjectID) -> Entry? { entries[blob] }

    mutating func insert(_ entry: Entry, for blob: ObjectID) {
        entries[blob] = entry
        isModified = true
    }

    /// Keeps only the entries for `blobs`.
    mutating func keep(only blobs: Set<ObjectID>) {
        let before = entries.count
        entries = entries.filter { blobs.contains($0.key) }
        if entries.count != before { isModified = true }
    }

    static func load(_ repository: Repository, key: CacheKey? = CacheKey.user) -> RecordCache {
        guard var r = CacheFile.read(CacheFile.path(inGitDirectory: repository.gitDirectory, name: name), magic: magic, key: key),
              let count = r.u32(), count <= UInt32(r.remaining) else { return RecordCache() }
        var cache = RecordCache()
        cache.entries.reserveCapacity(Int(count))
        for _ in 0..<count {
            guard let blob = r.id(), let article = r.string(), let revision = r.string(), let sha256 = r.string(),
                  let reviewer = r.string(), let role = r.string(), let decisionText = r.string(),
                  let decision = SignOff.Decision(rawValue: decisionText), let timestamp = r.i64(), let comment = r.string(),
                  let signature = r.raw(64), let hasKey = r.bool() else { return RecordCache() }
            var verifiedWith: [UInt8]?
            if hasKey {
                guard let key = r.raw(32) else { return RecordCache() }
                verifiedWith = Array(key)
            }
            let signOff = SignOff(article: article, blob: revision, sha256: sha256, reviewer: reviewer, role: role, decision: decision,
                                  timestamp: timestamp, comment: comment, signature: Array(signature))
            cache.entries[blob] = Entry(signOff: signOff, verifiedWith: verifiedWith)
        }
        return r.remaining == 0 ? cache : RecordCache()
    }

    func save(_ repository: Repository, key: CacheKey? = CacheKey.user) {
        guard isModified else { return }
        var w = CacheFile.writer(magic: Self.magic)
        // Only records whose signature has the 64 bytes Ed25519 needs are worth keeping.
        let kept = entries.filter { $0.value.signOff.signature.count == 64 && ($0.value.verifiedWith?.count ?? 32) == 32 }
        w.u32(UInt32(kept.count))
        for (blob, entry) in kept {
            let s = entry.signOff
            w.id(blob)
            for text in [s.article, s.blob, s.sha256, s.reviewer, s.role, s.decision.rawValue] { w.string(text) }
            w.i64(s.timestamp)
            w.string(s.comment)
            w.raw(s.signature)
            w.bool(entry.verifiedWith != nil)
            if let key = entry.verifiedWith { w.raw(key) }
        }
        CacheFile.store(w, to: CacheFile.path(inGitDirectory: repository.gitDirectory, name: Self.name), key: key)
    }
}
