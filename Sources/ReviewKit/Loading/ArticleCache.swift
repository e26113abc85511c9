import Paths
import BinaryStore
import Foundation
import GitKit
import ReviewCore

/// What an article file's bytes say apart from its path (``ArticleParser/parseContent(_:)``),
/// with the SHA-256 sign-offs are bound to.
struct ParsedContent: Sendable {
    var article: Article
    var findings: [Finding]
    var sha256: String
    /// Whether `article.body` is the body. The article cache keeps bodies apart (a large site's
    /// are nine tenths of it), so what it gives has none until one is set from the body cache
    /// (``BodyCache``); the loader never places an article without its body where anything
    /// reads it (``WorkflowEngine/readsBodies(_:signOffs:)``).
    var hasBody = true

    /// - Parameter measuringReadability: ``ArticleParser/parseContent(_:measuringReadability:)``.
    init(_ bytes: [UInt8], measuringReadability: Bool = true) {
        (article, findings) = ArticleParser.parseContent(bytes, measuringReadability: measuringReadability)
        sha256 = SignOff.sha256Hex(bytes)
    }

    init(article: Article, findings: [Finding], sha256: String, hasBody: Bool = true) {
        self.article = article
        self.findings = findings
        self.sha256 = sha256
        self.hasBody = hasBody
    }

    /// This content with `body`, its body as the article cache's counterpart kept it.
    func with(body: String) -> ParsedContent {
        var content = self
        content.article.body = body
        content.hasBody = true
        return content
    }

    /// This content without its body, as the article cache gives it.
    func withoutBody() -> ParsedContent {
        var content = self
        content.article.body = ""
        content.hasBody = false
        return content
    }

    /// The article and findings as the file at `path`, read through the policy's layout and
    /// front-matter mapping (applied on every run: the cache holds what the bytes alone say).
    func located(at path: GitPath, content layout: ContentRoots = ContentRoots(),
                 frontMatter mapping: FrontMatterMapping = FrontMatterMapping()) -> (Article, [Finding]) {
        ArticleParser.located((article, findings), at: path, content: layout, frontMatter: mapping)
    }
}

/// Parsed article contents by blob id, kept in `<git dir>/review/articles.cache` so a run where
/// little changed reads and parses only the blobs it has not seen (``BlobCache``: a
/// ``ParsedContent`` depends on its blob's bytes only). Without their bodies: see ``BodyCache``.
typealias ArticleCache = BlobCache<ParsedContentCodec>

/// Article bodies by blob id, in `<git dir>/review/article-bodies.cache`: apart from the rest of
/// the parsed contents, because a run reads them only when something will (a category that
/// requires disclaimers, sign-offs to compare revisions by, the site, the dashboard), and on a
/// large documentation site they are nine tenths of what was parsed.
typealias BodyCache = BlobCache<ArticleBodyCodec>

/// How an article's body is kept in the ``BodyCache``.
enum ArticleBodyCodec: BlobCacheCodec {
    static let name = "article-bodies.cache"
    static let magic = "review article bodies 2"

    static func write(_ body: String, into w: inout BinaryWriter) { w.string(body) }
    static func read(_ r: inout BinaryReader) -> String? { r.string() }
}

/// How ``ParsedContent`` is kept in the article cache.
enum ParsedContentCodec: BlobCacheCodec {
    static let name = "articles.cache"
    static let magic = "review article cache 12"

    // MARK: Encoding

    static func write(_ content: ParsedContent, into w: inout BinaryWriter) {
        let a = content.article
        w.optionalString(a.title)
        w.optionalString(a.lastUpdated?.description)
        w.optionalString(a.category)
        w.optionalString(a.summary)
        w.strings(a.authors)
        w.strings(a.tags)
        w.strings(a.aliases)
        w.bool(a.isRetired)
        w.u32(UInt32(a.frontMatter.count))
        for (key, value) in a.frontMatter {
            w.string(key)
            write(value, into: &w)
        }
        // The body is kept in the body cache.
        w.u32(UInt32(a.bodyFirstLine))
        w.u32(UInt32(a.relativeLinks.count))
        for link in a.relativeLinks {
            w.string(link.url)
            w.u32(UInt32(link.line))
        }
        w.bool(a.readability != nil)
        if let r = a.readability {
            w.u32(UInt32(clamping: r.words))
            w.u32(UInt32(clamping: r.sentences))
            w.u32(UInt32(clamping: r.syllables))
        }
        w.bool(a.plainParagraphs != nil)
        if let paragraphs = a.plainParagraphs {
            w.u32(UInt32(paragraphs.count))
            for paragraph in paragraphs {
                w.u64(paragraph.high)
                w.u64(paragraph.low)
            }
        }
        w.u32(UInt32(a.suppressions.count))
        for suppression in a.suppressions {
            w.strings(suppression.rules.map(\.rawValue))
            w.string(suppression.reason)
            w.u32(UInt32(suppression.line))
            w.bool(suppression.lines != nil)
            if let lines = suppression.lines {
                w.u32(UInt32(lines.lowerBound))
                w.u32(UInt32(lines.upperBound))
            }
        }
        w.u32(UInt32(a.emptySections.count))
        for section in a.emptySections {
            w.u32(UInt32(section.line))
            w.u8(UInt8(clamping: section.level))
            w.string(section.heading)
            w.optionalString(section.parent)
            w.bool(section.nextIsSameLevel)
        }
        w.u32(UInt32(content.findings.count))
        for finding in content.findings {
            w.string(finding.rule.rawValue)
            w.bool(finding.line != nil)
            if let line = finding.line { w.u32(UInt32(line)) }
            w.string(finding.message)
        }
        w.string(content.sha256)
    }

    private static func write(_ value: YAMLValue, into w: inout BinaryWriter) {
        switch value {
        case .scalar(let text, let line):
            w.u8(0); w.u32(UInt32(line)); w.string(text)
        case .list(let items, let line):
            w.u8(1); w.u32(UInt32(line)); w.u32(UInt32(items.count))
            for item in items { write(item, into: &w) }
        case .map(let pairs, let line):
            w.u8(2); w.u32(UInt32(line)); w.u32(UInt32(pairs.count))
            for (key, item) in pairs {
                w.string(key)
                write(item, into: &w)
            }
        }
    }

    static func read(_ r: inout BinaryReader) -> ParsedContent? {
        var a = Article(path: "", slug: "")
        guard let title = r.optionalString(), let lastUpdated = r.optionalString(), let category = r.optionalString(),
              let summary = r.optionalString(), let authors = r.strings(), let tags = r.strings(), let aliases = r.strings(),
              let retired = r.bool(), let keys = r.u32(), keys <= UInt32(r.remaining) else { return nil }
        a.title = title
        if let lastUpdated {
            guard let day = Day(lastUpdated) else { return nil }
            a.lastUpdated = day
        }
        (a.category, a.summary, a.authors, a.tags, a.aliases, a.isRetired) = (category, summary, authors, tags, aliases, retired)
        for _ in 0..<keys {
            guard let key = r.string(), let value = readValue(&r, depth: 0) else { return nil }
            a.frontMatter.append((key, value))
        }
        guard let bodyFirstLine = r.u32(), let linkCount = r.u32(), linkCount <= UInt32(r.remaining) else { return nil }
        for _ in 0..<linkCount {
            guard let url = r.string(), let line = r.u32() else { return nil }
            a.relativeLinks.append(RelativeLink(url: url, line: Int(line)))
        }
        guard let hasReadability = r.bool() else { return nil }
        if hasReadability {
            guard let words = r.u32(), let sentences = r.u32(), let syllables = r.u32() else { return nil }
            a.readability = Readability(words: Int(words), sentences: Int(sentences), syllables: Int(syllables))
        }
        guard let hasParagraphs = r.bool() else { return nil }
        if hasParagraphs {
            guard let n = r.u32(), n <= UInt32(r.remaining / 16) else { return nil }
            var paragraphs: [PlainParagraph] = []
            paragraphs.reserveCapacity(Int(n))
            for _ in 0..<n {
                guard let high = r.u64(), let low = r.u64() else { return nil }
                paragraphs.append(PlainParagraph(high: high, low: low))
            }
            a.plainParagraphs = paragraphs
        }
        guard let suppressionCount = r.u32(), suppressionCount <= UInt32(r.remaining) else { return nil }
        for _ in 0..<suppressionCount {
            guard let names = r.strings(), let reason = r.string(), let line = r.u32(), let hasLines = r.bool() else { return nil }
            var rules: [RuleID] = []
            for name in names {
                guard let rule = RuleID(rawValue: name) else { return nil }
                rules.append(rule)
            }
            var lines: ClosedRange<Int>?
            if hasLines {
                guard let low = r.u32(), let high = r.u32(), low <= high else { return nil }
                lines = Int(low)...Int(high)
            }
            a.suppressions.append(Suppression(rules: rules, reason: reason, line: Int(line), lines: lines))
        }
        guard let sections = r.u32(), sections <= UInt32(r.remaining) else { return nil }
        for _ in 0..<sections {
            guard let line = r.u32(), let level = r.u8(), let heading = r.string(), let parent = r.optionalString(),
                  let nextIsSameLevel = r.bool() else { return nil }
            a.emptySections.append(EmptySection(line: Int(line), level: Int(level), heading: heading, parent: parent, nextIsSameLevel: nextIsSameLevel))
        }
        guard let count = r.u32(), count <= UInt32(r.remaining) else { return nil }
        a.bodyFirstLine = Int(bodyFirstLine)
        var findings: [Finding] = []
        for _ in 0..<count {
            guard let raw = r.string(), let rule = RuleID(rawValue: raw), let hasLine = r.bool() else { return nil }
            var line: Int?
            if hasLine {
                guard let n = r.u32() else { return nil }
                line = Int(n)
            }
            guard let message = r.string() else { return nil }
            findings.append(Finding(rule, path: "", line: line, message))
        }
        guard let sha256 = r.string() else { return nil }
        return ParsedContent(article: a, findings: findings, sha256: sha256, hasBody: false)
    }

    private static func readValue(_ r: inout BinaryReader, depth: Int) -> YAMLValue? {
        guard depth <= YAMLDocument.maximumDepth, let tag = r.u8(), let line = r.u32().map(Int.init) else { return nil }
        switch tag {
        case 0:
            return r.string().map { .scalar($0, line: line) }
        case 1:
            guard let n = r.u32(), n <= UInt32(r.remaining) else { return nil }
            var items: [YAMLValue] = []
            for _ in 0..<n {
                guard let item = readValue(&r, depth: depth + 1) else { return nil }
                items.append(item)
            }
            return .list(items, line: line)
        case 2:
            guard let n = r.u32(), n <= UInt32(r.remaining) else { return nil }
            var pairs: [(key: String, value: YAMLValue)] = []
            for _ in 0..<n {
                guard let key = r.string(), let item = readValue(&r, depth: depth + 1) else { return nil }
                pairs.append((key, item))
            }
            return .map(pairs, line: line)
        default:
            return nil
        }
    }
}

/// The size of the segments cache files are written in (``CacheFile``); tests make it small.
enum CacheSegments {
    @TaskLocal static var size = CacheFile.segmentSize
}

/// The body cache of a read that found none (``BodyCache``).
typealias BodyCacheBuffer = BlobCacheBuffer<ArticleBodyCodec>
/// The article cache of a read that found none (``ArticleCache``).
typealias ArticleCacheBuffer = BlobCacheBuffer<ParsedContentCodec>

/// A ``BlobCache`` file of a read that found none, written as the articles are parsed: each
/// value goes into the file's current segment as soon as it is parsed (by the threads that
/// parse ahead, or the loader), and each full segment is sealed and written to the cache's
/// temporary file (``CacheFileWriter``), so a cold read holds one segment of the file, not all
/// of it (on windows-powershell-docs the bodies were 90 MB of a cold `status`'s peak, the
/// article cache's encoded entries 21 MB). The file is the one the ``BlobCache``'s `save`
/// writes for the same entries.
///
/// A body asked for again during the run (``body(for:)``: only where the policy in force reads
/// bodies and the committed one, which the threads parsing ahead go by, does not) comes from the
/// current segment, or from its written segment read back and authenticated again (the
/// temporary file is in the git directory, which others may write): never unverified bytes.
/// Without a key, or where no file can be written (or once a write failed), no value is kept
/// at all: holding them in memory for a file that will not be written would cost what this
/// saves, and a body asked for again is then parsed again. Every value appended is kept (for
/// codecs whose `keeps` is always true).
final class BlobCacheBuffer<Codec: BlobCacheCodec>: @unchecked Sendable {
    /// Where a value lies: its segment, and where it starts in that segment's payload.
    private struct Place {
        var segment: UInt32
        var offset: UInt32
    }

    private let segmentSize: Int
    private let path: String
    /// What the file is authenticated with (the copy ``save(_:keeping:)`` may make, too).
    private let key: CacheKey?
    // Guarded by `lock`.
    private let lock = NSLock()
    /// The file being written; `nil`, or `writing` false after a failed write: nothing more is
    /// kept (the segments written can still be read back).
    private let file: CacheFileWriter?
    private var writing: Bool
    /// The segment being filled (the first starts with the header).
    private var pending: BinaryWriter
    private var places: [ObjectID: Place] = [:]
    /// The written segment last read back (verified), so values asked for in about the order
    /// they were parsed read each segment once.
    private var readBack: (index: Int, payload: [UInt8])?

    init(gitDirectory: String, segmentSize: Int = CacheSegments.size, key: CacheKey? = CacheKey.user) {
        self.segmentSize = max(segmentSize, 1)
        path = CacheFile.path(inGitDirectory: gitDirectory, name: Codec.name)
        self.key = key
        file = CacheFileWriter(path: path, key: key)
        writing = file != nil
        pending = CacheFile.writer(magic: Codec.magic)
    }

    /// The segment `pending` will be.
    private var current: Int { file?.segments ?? 0 }

    /// Adds the value `write` writes for `blob` (once: a later value for the same blob is the
    /// same value). `write` runs under the buffer's lock: encode anything costly before.
    func append(for blob: ObjectID, _ write: (inout BinaryWriter) -> Void) {
        lock.withLock {
            guard writing, places[blob] == nil else { return }
            pending.raw(blob.bytes)
            let at = pending.data.count
            pending.u32(0)
            write(&pending)
            let length = UInt32(pending.data.count - at - 4).littleEndian
            withUnsafeBytes(of: length) { pending.data.replaceSubrange(at..<(at + 4), with: $0) }
            places[blob] = Place(segment: UInt32(current), offset: UInt32(at + 4))
            if pending.data.count >= segmentSize { seal(final: false) }
        }
    }

    /// Adds `encoded` (``BlobCache/encoding(_:)``) as the value for `blob` (once).
    func append(encoded: [UInt8], for blob: ObjectID) {
        append(for: blob) { $0.raw(encoded) }
    }

    /// Writes `pending` as the next segment (under `lock`).
    private func seal(final: Bool) {
        guard let file, writing else { return }
        if !pending.data.withUnsafeBytes({ file.write(segment: $0, final: final) }) {
            // What was in this segment is lost: nothing points into it any more.
            writing = false
            let lost = UInt32(current)
            places = places.filter { $0.value.segment != lost }
        }
        pending.data.removeAll(keepingCapacity: writing && !final)
    }

    /// The encoded value kept for `blob` (under `lock`; `nil`: none, or its written segment no
    /// longer verifies).
    private func value(of blob: ObjectID) -> ArraySlice<UInt8>? {
        guard let place = places[blob] else { return nil }
        let segment = Int(place.segment)
        let payload: [UInt8]
        if segment == current {
            payload = pending.data
        } else if let readBack, readBack.index == segment {
            payload = readBack.payload
        } else {
            guard let read = file?.segment(segment) else { return nil }
            readBack = (segment, read)
            payload = read
        }
        let at = Int(place.offset)
        guard at >= 4, at <= payload.count else { return nil }
        let length = payload.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: at - 4, as: UInt32.self))) }
        guard length <= payload.count - at else { return nil }
        return payload[at..<(at + length)]
    }

    /// Writes the cache after the caller goes on (``CacheWrites``), keeping only `blobs` (all
    /// when `nil`). When some value kept here is not among them (rare: the layout in force
    /// differs from the committed one), the kept ones are copied, read back and authenticated
    /// again, into a new file.
    func save(_ repository: Repository, keeping blobs: Set<ObjectID>?) {
        let (count, stray) = lock.withLock { (places.count, blobs.map { kept in places.keys.contains { !kept.contains($0) } } ?? false) }
        guard count > 0 else { return }  // nothing was parsed: as a cache with nothing inserted
        CacheWrites.start { [self] in
            lock.withLock {
                guard writing else { return }
                guard stray, let blobs else {
                    seal(final: true)
                    if writing { file?.commit() }
                    return
                }
                copy(keeping: blobs)
            }
        }
    }

    /// Writes a new file of the values of `blobs`, in the order they were parsed (under `lock`).
    private func copy(keeping blobs: Set<ObjectID>) {
        let kept = blobs.compactMap { blob in places[blob].map { (blob, $0) } }
            .sorted { ($0.1.segment, $0.1.offset) < ($1.1.segment, $1.1.offset) }
        guard !kept.isEmpty, let copy = CacheFileWriter(path: path, key: key) else { return }
        var w = CacheFile.writer(magic: Codec.magic)
        for (blob, _) in kept {
            guard let value = value(of: blob) else { continue }  // no longer verifies: parsed again next time
            w.raw(blob.bytes)
            w.u32(UInt32(value.count))
            w.raw(value)
            guard copy.flush(&w, atLeast: segmentSize) else { return }
        }
        copy.finish(with: w)
    }
}

extension BlobCacheBuffer where Codec == ArticleBodyCodec {
    /// Adds `body` for `blob` (once), as ``ArticleBodyCodec`` writes it, copied once.
    func append(_ body: String, for blob: ObjectID) {
        var body = body
        body.withUTF8 { utf8 in
            append(for: blob) { w in
                w.u32(UInt32(utf8.count))
                w.data.append(contentsOf: utf8)
            }
        }
    }

    /// The body kept for `blob` (`nil`: none, or its written segment no longer verifies).
    func body(for blob: ObjectID) -> String? {
        lock.withLock {
            guard let value = value(of: blob), value.count >= 4 else { return nil }
            return String(decoding: value.dropFirst(4), as: UTF8.self)
        }
    }
}
