import Paths
import Dispatch
import Foundation
import GitKit
import ReviewCore

/// Reads and parses article blobs on other threads while the loader reads the configuration
/// and walks history, which it does on one thread: on a cold run a core would otherwise sit
/// idle for the whole walk (issue 21: a third of a second on a documentation history).
///
/// Which blobs to parse is known from the revision's tree alone, and a ``ParsedContent``
/// depends on its blob's bytes only, so parsing ahead changes no answer: the loader takes what
/// was parsed here by blob id and parses (or reads, and reports the failure of) anything else
/// itself. Workers open their own repository handle (libgit2 handles are not shared between
/// threads); a blob a worker cannot read is left for the loader, which says why.
final class ParsePrefetch: @unchecked Sendable {
    private let blobs: [ObjectID]
    /// One slot per blob; each is written by the one worker that took its index, and read
    /// only after every worker has finished (``finish(reading:)``).
    private let slots: UnsafeMutableBufferPointer<ParsedContent?>
    /// The next index to hand out, under `lock`.
    private var next = 0
    /// Whether the load stopped (``cancel()``), under `lock`: pages put off are left then.
    private var cancelled = false
    private let lock = NSLock()
    private let workers = DispatchGroup()

    /// Where each body goes as it is parsed, for the body cache (none: they stay in the articles).
    private let bodies: BodyCacheBuffer?
    /// Whether the articles keep their bodies (besides `bodies`, where given).
    private let keepsBodies: Bool
    /// Where each parsed article goes, encoded, for the article cache (none: no cache is written).
    private let articles: ArticleCacheBuffer?
    /// Whether the articles' reading levels are measured (``ParsedContent/init(_:measuringReadability:)``).
    private let measuresReadability: Bool
    /// Whether a page with a `~` is being parsed now (``MarkdownParser/aPageIsParsedAlone``;
    /// tests: always, so that every such page is put off).
    private let aPageIsParsedAlone: @Sendable () -> Bool
    /// The most pages with a `~` a worker puts off at once.
    private let putOffLimit: Int
    /// The most any worker held put off (tests: never more than `putOffLimit`), under `lock`.
    private(set) var mostPutOff = 0

    /// Starts `threads` workers on `blobs` (nothing to do, or no thread to spare: `nil`).
    ///
    /// - Parameters:
    ///   - bodies: the body cache being built: each body is added to it as it is parsed.
    ///   - keepsBodies: whether the parsed articles keep their bodies (as well, where `bodies`
    ///     is given); without them, the loader takes each body from `bodies` where it needs one,
    ///     or from the article's blob.
    ///   - articles: the article cache being built: each article is encoded into it as it is
    ///     parsed (here, on all cores, rather than by the one thread that writes the cache).
    ///   - measuresReadability: whether reading levels are measured (the loader parses again
    ///     any article it needs one for and got without).
    ///   - aPageIsParsedAlone: whether a page with a `~` is being parsed now.
    ///   - putOffLimit: the most pages with a `~` a worker puts off at once.
    init?(gitDirectory: String, blobs: [ObjectID], threads: Int, bodies: BodyCacheBuffer? = nil, keepsBodies: Bool = true,
          articles: ArticleCacheBuffer? = nil, measuresReadability: Bool = true,
          aPageIsParsedAlone: @escaping @Sendable () -> Bool = { MarkdownParser.aPageIsParsedAlone }, putOffLimit: Int = 32) {
        guard !blobs.isEmpty, threads > 0 else { return nil }
        self.blobs = blobs
        self.aPageIsParsedAlone = aPageIsParsedAlone
        self.putOffLimit = putOffLimit
        self.measuresReadability = measuresReadability
        self.bodies = bodies
        self.articles = articles
        self.keepsBodies = keepsBodies
        slots = .allocate(capacity: blobs.count)
        slots.initialize(repeating: nil)
        for _ in 0..<threads {
            workers.enter()
            let thread = Thread { [self] in
                defer { workers.leave() }
                guard let repository = try? Repository.open(at: gitDirectory) else { return }
                work(repository)
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    /// The threads to start beside the calling one: every other core.
    static var spareThreads: Int { max(ProcessInfo.processInfo.activeProcessorCount - 1, 0) }

    /// Parses what the workers have not taken yet on the calling thread too, waits for them,
    /// and returns every parsed blob (each already in `articles`, when given).
    func finish(reading repository: Repository) -> [ObjectID: ParsedContent] {
        work(repository)
        workers.wait()
        var parsed: [ObjectID: ParsedContent] = [:]
        parsed.reserveCapacity(blobs.count)
        for (blob, slot) in zip(blobs, slots) { if let slot { parsed[blob] = slot } }
        return parsed
    }

    /// Stops handing out blobs (the load failed): workers finish the one they hold and end.
    func cancel() {
        lock.withLock {
            next = blobs.count
            cancelled = true
        }
    }

    private func work(_ repository: Repository) {
        // A page with a `~` is parsed while no other such page is (MarkdownParser): one met
        // while another thread parses such a page would wait for it, spinning; it is put off
        // instead, and parsed once no page is left to hand out (1-4% of a cold run's CPU on
        // nodejs.org went to waiting so). At most `putOffLimit` pages are held so: on a site
        // where most pages have a `~`, they are parsed one at a time whatever is done, and
        // holding them all would hold every page's bytes at once.
        var putOff: [(index: Int, bytes: [UInt8])] = []
        while true {
            let i = lock.withLock {
                defer { next += 1 }
                return next
            }
            guard i < blobs.count else { break }
            guard let bytes = try? repository.blob(blobs[i]) else { continue }
            if putOff.count < putOffLimit, aPageIsParsedAlone(), MarkdownParser.parsesAlone(bytes) {
                putOff.append((i, bytes))
                continue
            }
            parse(i, bytes)
        }
        lock.withLock { mostPutOff = max(mostPutOff, putOff.count) }
        for (i, bytes) in putOff where !lock.withLock({ cancelled }) { parse(i, bytes) }
    }

    private func parse(_ i: Int, _ bytes: [UInt8]) {
        var content = ParsedContent(bytes, measuringReadability: measuresReadability)
        bodies?.append(content.article.body, for: blobs[i])
        if !keepsBodies { content = content.withoutBody() }
        if let articles {
            let encoded = ArticleCache.encoding(content)
            articles.append(encoded: encoded, for: blobs[i])
        }
        slots[i] = content
    }
}
