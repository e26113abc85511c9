import Paths
import BinaryStore
import SystemCrypto
import GitKit
import ReviewCore

/// The answers of the loader's search for the newest change readers can see
/// (``ArticleFacts/textChange``), in `<git dir>/review/text-changes.cache` (a ``BlobCache``),
/// so a run at a revision where those articles did not change neither follows their history
/// again nor reads and compares their old revisions.
///
/// An answer is looked up by everything it depends on (``key(path:lastChange:blob:lastUpdated:mapping:ignored:followed:onlyMoved:at:)``):
/// the article's path and the commit that last changed it at the revision read (which fix the
/// path's history: the walk reaches the older commits only through that one), the revisions
/// ignored (skipped in it), whether that history was already followed and whether the last
/// change only moved the file, its current blob, its last-updated day (where the search stops)
/// and the front-matter keys readers see (title, summary). An answer the order of that history
/// cannot change is filed under those alone. One that passed a merge which changed the file,
/// whose two sides the walk lists in an order later commits may change, is filed under the
/// revision read as well (`at`): it is used again only at that very revision, whose history
/// (and so that order) a commit id fixes; a warm run at the same revision then neither follows
/// nor compares it again (windows-powershell-docs: a second walk of all history, each run). A change
/// found is stored with the main-line commit that brought it and is used again only while this
/// revision's main line still brings it through that commit (what arrived with it, and so
/// whether the date arrived with it, depends on that commit alone). Like every
/// cache here it only saves time, on a content rule: a missing, damaged or foreign file, or an
/// entry whose key does not match, means searching again, with the same answer.
typealias TextChangeCache = BlobCache<TextChangeCodec>

enum TextChangeCodec: BlobCacheCodec {
    static let name = "text-changes.cache"
    static let magic = "review text changes 7"

    struct Entry: Sendable, Equatable {
        /// The key's bytes, compared on every lookup (the entry is filed under their digest).
        var key: [UInt8]
        /// `.none` or `.change` (never `.notLookedFor`).
        var answer: TextChange
        /// For a change: the main-line commit that brought it when the answer was found (the
        /// answer is used again only while it still does), and the change that set last-updated
        /// among those that arrived with it (``TextChangeArrival``).
        var arrival: String? = nil
        var dateSetBy: String? = nil
    }

    /// Where an answer is filed, and the bytes it must have been stored under.
    struct Key: Sendable, Hashable {
        var id: ObjectID
        var material: [UInt8]
    }

    /// A digest of the revisions ignored, for ``key(path:lastChange:blob:lastUpdated:mapping:ignored:followed:onlyMoved:at:)``.
    static func digest(ignored: Set<String>) -> [UInt8] {
        Array(SHA256.hash(data: Array(ignored.sorted().joined(separator: "\n").utf8)))
    }

    /// - Parameter at: the revision read, for an answer whose history passed a merge that
    ///   changed the file (its order is fixed only at that revision); `nil` for any other.
    static func key(path: GitPath, lastChange: ObjectID, blob: ObjectID, lastUpdated: Day, mapping: FrontMatterMapping,
                    ignored: [UInt8], followed: Bool, onlyMoved: Bool, at revision: ObjectID? = nil) -> Key {
        var w = BinaryWriter()
        w.u32(UInt32(path.byteCount))
        w.raw(path.bytes)
        w.raw(lastChange.bytes)
        w.raw(blob.bytes)
        w.i64(Int64(lastUpdated.daysSinceEpoch))
        w.string(mapping.title)
        w.string(mapping.summary)
        w.raw(ignored)
        w.bool(followed)
        w.bool(onlyMoved)
        w.bool(revision != nil)
        if let revision { w.raw(revision.bytes) }
        let digest = Array(SHA256.hash(data: w.data))
        return Key(id: ObjectID(bytes: digest[0..<20])!, material: w.data)
    }

    static func write(_ entry: Entry, into w: inout BinaryWriter) {
        w.u32(UInt32(entry.key.count))
        w.raw(entry.key)
        guard case .change(let c) = entry.answer else { w.u8(0); return }
        w.u8(1)
        for text in [c.commit, c.authorName, c.authorEmail] { w.string(text) }
        w.i64(Int64(c.date.daysSinceEpoch))
        w.i64(Int64(c.localDate.daysSinceEpoch))
        w.i64(c.time)
        w.i64(c.authorTime)
        w.strings(c.coAuthors)
        w.string(c.committerName)
        w.string(c.committerEmail)
        w.optionalString(c.blobAfter)
        w.bool(c.changedContent)
        w.optionalString(entry.arrival)
        w.optionalString(entry.dateSetBy)
    }

    static func read(_ r: inout BinaryReader) -> Entry? {
        guard let length = r.u32(), let key = r.raw(Int(length)), let kind = r.u8() else { return nil }
        switch kind {
        case 0: return Entry(key: Array(key), answer: .none)
        case 1:
            guard let commit = r.string(), let authorName = r.string(), let authorEmail = r.string(),
                  let date = r.i64(), let localDate = r.i64(), let time = r.i64(), let authorTime = r.i64(),
                  let coAuthors = r.strings(), let committerName = r.string(), let committerEmail = r.string(),
                  let blobAfter = r.optionalString(), let changedContent = r.bool(),
                  let arrival = r.optionalString(), let dateSetBy = r.optionalString() else { return nil }
            var fact = ChangeFact(commit: commit, authorName: authorName, authorEmail: authorEmail,
                                  date: Day(daysSinceEpoch: Int(date)), localDate: Day(daysSinceEpoch: Int(localDate)), blobAfter: blobAfter)
            fact.time = time
            fact.authorTime = authorTime
            fact.coAuthors = coAuthors
            fact.committerName = committerName
            fact.committerEmail = committerEmail
            fact.changedContent = changedContent
            return Entry(key: Array(key), answer: .change(fact), arrival: arrival, dateSetBy: dateSetBy)
        default: return nil
        }
    }
}
