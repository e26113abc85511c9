import BinaryStore
import SystemCrypto
import GitKit
import ReviewCore

/// What readers see of source revisions a translation is compared with (issue 37), as a
/// SHA-256 digest of ``ArticleParser/readerText(_:mapping:)`` by blob, in
/// `<git dir>/review/reader-texts.cache` (a ``BlobCache``): a warm run neither reads nor parses
/// those revisions again (nodejs.org: a sixth of a warm `status`).
///
/// The text depends on the blob and on the front-matter keys readers see (title, summary): an
/// entry holds those keys' names and is used only while the policy still names the same. Like
/// every cache here it only saves time: a missing, damaged or foreign file, or an entry for
/// other keys, means parsing again, with the same answer.
typealias ReaderTextCache = BlobCache<ReaderTextCodec>

enum ReaderTextCodec: BlobCacheCodec {
    static let name = "reader-texts.cache"
    static let magic = "review reader texts 1"

    struct Entry: Sendable, Equatable {
        /// The front-matter keys readers see, as ``keys(_:)`` writes them.
        var keys: [UInt8]
        /// The digest of the reader text; `nil` when the blob has none (it is no article).
        var digest: [UInt8]?
    }

    static func keys(_ mapping: FrontMatterMapping) -> [UInt8] {
        var w = BinaryWriter()
        w.string(mapping.title)
        w.string(mapping.summary)
        return w.data
    }

    /// The entry for `bytes`, derived.
    static func entry(_ bytes: [UInt8], mapping: FrontMatterMapping) -> Entry {
        Entry(keys: keys(mapping), digest: ArticleParser.readerText(bytes, mapping: mapping).map { Array(SHA256.hash(data: Array($0.utf8))) })
    }

    static func write(_ entry: Entry, into w: inout BinaryWriter) {
        w.u32(UInt32(entry.keys.count))
        w.raw(entry.keys)
        w.bool(entry.digest != nil)
        if let digest = entry.digest { w.raw(digest) }
    }

    static func read(_ r: inout BinaryReader) -> Entry? {
        guard let length = r.u32(), let keys = r.raw(Int(length)), let has = r.bool() else { return nil }
        guard has else { return Entry(keys: Array(keys), digest: nil) }
        guard let digest = r.raw(32) else { return nil }
        return Entry(keys: Array(keys), digest: Array(digest))
    }
}
