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

    init(_ bytes: [UInt8]) {
        (article, findings) = ArticleParser.parseContent(bytes)
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
    static let magic = "review article bodies 1"

    static func write(_ body: String, into w: inout BinaryWriter) { w.string(body) }
    static func estimatedSize(_ body: String) -> Int { 4 + body.utf8.count }
    static func read(_ r: inout BinaryReader) -> String? { r.string() }
}

/// How ``ParsedContent`` is kept in the article cache.
enum ParsedContentCodec: BlobCacheCodec {
    static let name = "articles.cache"
    static let magic = "review article cache 11"

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

/// The body cache of a read that found none, written as the articles are parsed: each body goes
/// into the file's bytes as soon as it is parsed (by the threads that parse ahead, or the
/// loader), so a cold read never holds every body as a string and the file's buffer at once
/// (on windows-powershell-docs that pair was 177 MB of a cold `status`'s peak). The bytes are
/// those ``BodyCache``'s `save` writes for the same entries.
final class BodyCacheBuffer: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private let bytes: GrowingBytes
    /// Where each blob's value (its length, then the body) starts in `bytes`.
    private var offsets: [ObjectID: Int] = [:]
    /// Where the entry count goes, once known.
    private let countAt: Int

    init() {
        var header = CacheFile.writer(magic: BodyCache.magic)
        countAt = header.data.count
        header.u32(0)
        bytes = GrowingBytes(header.data)
    }

    /// Adds `body` for `blob` (once: a later body for the same blob is the same body).
    func append(_ body: String, for blob: ObjectID) {
        var body = body
        body.withUTF8 { utf8 in
            lock.withLock {
                guard offsets[blob] == nil else { return }
                blob.bytes.withUnsafeBytes { bytes.append($0) }
                bytes.u32(UInt32(4 + utf8.count))
                offsets[blob] = bytes.count
                bytes.u32(UInt32(utf8.count))
                bytes.append(UnsafeRawBufferPointer(utf8))
            }
        }
    }

    /// The body kept for `blob`.
    func body(for blob: ObjectID) -> String? {
        lock.withLock {
            guard let at = offsets[blob], let length = bytes.bytes(at: at, count: 4),
                  let text = bytes.bytes(at: at + 4, count: length.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }) else { return nil }
            return String(decoding: text, as: UTF8.self)
        }
    }

    /// Writes the body cache after the caller goes on (``CacheWrites``), keeping only `blobs`
    /// (all when `nil`). When some body kept here is not among them (rare: the layout in force
    /// differs from the committed one), the cache is rebuilt from those that are.
    func save(_ repository: Repository, keeping blobs: Set<ObjectID>?) {
        let path = CacheFile.path(inGitDirectory: repository.gitDirectory, name: BodyCache.name)
        let (count, stray) = lock.withLock { (offsets.count, blobs.map { kept in offsets.keys.contains { !kept.contains($0) } } ?? false) }
        guard count > 0 else { return }  // nothing was parsed: as a cache with nothing inserted
        guard stray, let blobs else {
            CacheWrites.start { [self] in
                lock.withLock {
                    bytes.setU32(UInt32(count), at: countAt)
                    CacheFile.store(bytes, to: path)
                }
            }
            return
        }
        var cache = BodyCache()
        for blob in blobs { if let body = body(for: blob) { cache.insert(body, for: blob) } }
        cache.save(repository)
    }
}
