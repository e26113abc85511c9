import Paths
import Foundation
import GitKit
import BinaryStore
import ReviewCore
@testable import ReviewKit
import Testing
import TestSupport

/// The parsed-article cache must never change an answer: with it, without it, after edits,
/// and from a damaged file, status is identical.
@Suite struct ArticleCacheTests {
    /// Status as JSON; the caches it writes are on disk when it returns (as when `review` exits).
    private func statusJSON(_ content: ContentRepository, cache: Bool) throws -> String {
        ReviewSession.finishCacheWrites()
        if !cache { try? FileManager.default.removeItem(atPath: CacheFile.path(inGitDirectory: content.repository.gitDirectory, name: ArticleCache.name)) }
        defer { ReviewSession.finishCacheWrites() }
        return StatusJSONReporter.render(try content.status(asOf: "2026-11-25"))
    }

    @Test func cachedStatusEqualsUncachedAsArticlesChange() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "flu": .general], reviewers: [.medical("ann"), .editorial("ed")])
        let cachePath = CacheFile.path(inGitDirectory: content.repository.gitDirectory, name: ArticleCache.name)
        let fresh = try statusJSON(content, cache: false)
        #expect(FileManager.default.fileExists(atPath: cachePath))
        #expect(try statusJSON(content, cache: true) == fresh)

        // An approval (an older revision becomes a tracked one), an edit, a broken edit.
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.edit("pml", lastUpdated: "2026-05-01", on: "2026-05-01", body: "New text.\n\n" + ContentRepository.disclaimer)
        try content.commit("break flu", [.write("Articles/general/flu.md", "---\ntitle: [unclosed\n---\nBody\n")], on: "2026-05-02")
        let afterEdits = try statusJSON(content, cache: true)
        #expect(afterEdits == (try statusJSON(content, cache: false)))
        #expect(afterEdits.contains("invalid-front-matter"))
        // The cache lives in the git directory: nothing new appears in the work tree.
        #expect(cachePath.hasPrefix(content.repository.gitDirectory))
        #expect(try Git.run(["ls-files", "--others"], in: content.path) == "")
    }

    /// A full read keeps only the blobs the tip uses: an edited article's old blob leaves the
    /// cache, and a run that changes nothing keeps it as it is.
    @Test func aFullReadKeepsOnlyTheTipsBlobs() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "flu": .general], reviewers: [.medical("ann"), .editorial("ed")])
        func tipBlobs() throws -> Set<ObjectID> {
            let tree = try content.repository.commit(content.repository.headCommit()).tree
            return Set(try content.repository.files(under: "Articles", inTree: tree).map(\.id))
        }
        func cached() -> Set<ObjectID> {
            ReviewSession.finishCacheWrites()
            return Set(ArticleCache.load(content.repository).entries.keys)
        }
        _ = try statusJSON(content, cache: false)
        let before = try tipBlobs()
        #expect(cached() == before)
        try content.edit("pml", lastUpdated: "2026-05-01", on: "2026-05-01", body: "New text.\n\n" + ContentRepository.disclaimer)
        _ = try statusJSON(content, cache: true)
        let after = try tipBlobs()
        #expect(after != before && cached() == after)
        _ = try statusJSON(content, cache: true)
        #expect(cached() == after)
    }

    @Test func aDamagedCacheIsIgnoredAndRewritten() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let expected = try statusJSON(content, cache: false)
        let path = CacheFile.path(inGitDirectory: content.repository.gitDirectory, name: ArticleCache.name)
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(ArticleCache.load(content.repository).entries.count == 1)
        for damage in [{ (d: inout Data) in d[d.count / 2] ^= 0x01 }, { d in d = d.prefix(d.count - 3) }, { d in d = Data() }] {
            var broken = good
            damage(&broken)
            try broken.write(to: URL(fileURLWithPath: path))
            #expect(ArticleCache.load(content.repository).entries.isEmpty)
            #expect(try statusJSON(content, cache: true) == expected)
            #expect(ArticleCache.load(content.repository).entries.count == 1)
        }
    }

    /// A cache's entries are decoded in runs (``BlobCache/decodingRun``), each through one
    /// reader: every value comes back under its own blob wherever the runs cut, and a value that
    /// does not take exactly the length stated before it refuses the whole file, as when each was
    /// read through a reader of that length.
    @Test func entriesDecodedInRunsComeBackAndFillTheirLengths() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("Articles/a.md", "a")])
        let path = CacheFile.path(inGitDirectory: repo.repository.gitDirectory, name: ArticleBodyCodec.name)
        let entries = try (0..<(3 * BodyCache.decodingRun + 5)).map { i in
            (blob: try #require(ObjectID(hex: String(repeating: "0", count: 32) + String(format: "%08x", i))),
             body: "body \(i) " + String(repeating: "é", count: i % 7))
        }
        // The file as the cache writes it, with one entry's stated length one byte long (and a
        // byte after it, so every entry is still found where it starts).
        func write(stretching stretched: Int?) throws {
            let file = try #require(CacheFileWriter(path: path))
            var w = CacheFile.writer(magic: ArticleBodyCodec.magic)
            for (i, entry) in entries.enumerated() {
                w.id(entry.blob)
                let at = w.data.count
                w.u32(0)
                ArticleBodyCodec.write(entry.body, into: &w)
                if i == stretched { w.u8(0) }
                let length = UInt32(w.data.count - at - 4).littleEndian
                withUnsafeBytes(of: length) { w.data.replaceSubrange(at..<(at + 4), with: $0) }
            }
            file.finish(with: w)
        }
        try write(stretching: nil)
        let loaded = BodyCache.load(repo.repository)
        #expect(loaded.entries.count == entries.count)
        for entry in entries { #expect(loaded[entry.blob] == entry.body) }
        for stretched in [0, BodyCache.decodingRun - 1, BodyCache.decodingRun, entries.count - 1] {
            try write(stretching: stretched)
            #expect(BodyCache.load(repo.repository).entries.isEmpty, "entry \(stretched)")
        }
    }

    /// Every field survives the file, for well-formed and broken articles alike.
    @Test(arguments: [
        ContentRepository.article("pml", category: .neurology, lastUpdated: "2026-04-07", body: "Body\n\nMore.", tags: "[a, b]"),
        "---\ntitle: T\nlast-updated: 2026-04-07\ncategory: neurology\nsummary: S\nauthors: [Ann, Bo]\naliases: [x]\nstatus: retired\nextra:\n  nested: [1, {k: v}]\n---\nÜber\r\n",
        "---\ntitle: [unclosed\n---\nBody\n",
        "no front matter at all",
        "---\nlast-updated: 2026-02-30\n---\n",
    ])
    func entriesRoundTrip(_ text: String) throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("Articles/a.md", text)])
        let blob = try #require(try repo.repository.entry(at: "Articles/a.md", inCommit: repo.repository.headCommit())).id
        var cache = ArticleCache(), bodies = BodyCache()
        cache.insert(ParsedContent(Array(text.utf8)), for: blob)
        bodies.insert(ParsedContent(Array(text.utf8)).article.body, for: blob)
        cache.save(repo.repository)
        bodies.save(repo.repository)
        let bodiless = try #require(ArticleCache.load(repo.repository)[blob])
        #expect(!bodiless.hasBody && bodiless.article.body.isEmpty)  // bodies are kept apart
        let stored = bodiless.with(body: try #require(BodyCache.load(repo.repository)[blob]))
        let original = ParsedContent(Array(text.utf8))
        let (a, b) = (stored.article, original.article)
        #expect(a == b)
        #expect(a.title == b.title && a.lastUpdated == b.lastUpdated && a.category == b.category && a.summary == b.summary)
        #expect(a.authors == b.authors && a.tags == b.tags && a.aliases == b.aliases && a.isRetired == b.isRetired)
        #expect(a.bodyFirstLine == b.bodyFirstLine)
        #expect(a.plainParagraphs == b.plainParagraphs)
        #expect(stored.findings == original.findings)
        #expect(stored.sha256 == original.sha256)
        #expect(stored.located(at: "Articles/x/Bad Name.md").1 == original.located(at: "Articles/x/Bad Name.md").1)
    }

    /// Someone who can write the git directory (or ships a repository with one) plants a cache
    /// saying a neurology article is 'general' (editorial review only), with the real bytes'
    /// SHA-256. Without the user's key, it decides nothing; under it, it would have.
    @Test func aPlantedCacheDecidesNothing() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        let entry = try #require(try content.repository.entry(at: "Articles/pml.md", inCommit: content.repository.headCommit()))
        let real = ParsedContent(try content.repository.blob(entry.id))
        let lie = ParsedContent(Array(ContentRepository.article("pml", category: .general, lastUpdated: "2026-04-07").utf8))
        var planted = ArticleCache()
        planted.insert(ParsedContent(article: lie.article, findings: lie.findings, sha256: real.sha256), for: entry.id)
        func published() throws -> [String] {
            try content.session().publishing.publish(asOf: Day("2026-11-25")!, dryRun: true, now: ContentRepository.time("2026-11-25")).plan.entries.map(\.path.text)
        }
        planted.save(content.repository, key: CacheKey(bytes: [UInt8](repeating: 7, count: 32)))
        #expect(try published().isEmpty)
        #expect(try content.status(asOf: "2026-11-25").articles.first?.state == .inReview)
        // The same file under the user's key would be believed: the defence is the key.
        planted.save(content.repository, key: CacheKey.user)
        #expect(try published() == ["Articles/pml.md"])
    }

    /// Parsing ahead on other threads gives what parsing on the loader's thread gives, leaves a
    /// blob it cannot read to the loader, and ends when cancelled; so do pages with a `~` put off
    /// while another such page is parsed (here: always, and more of them than a worker holds).
    @Test(arguments: [false, true]) func parsingAheadGivesWhatParsingHereGives(puttingOff: Bool) throws {
        let repo = try RepoBuilder()
        let bodies = (0..<60).map {
            "Body \($0). Those at highest risk include:\n\n## What is it?\n\n" + String(repeating: "Words of a sentence here. ", count: $0)
                + ($0 % 3 == 0 || $0 > 30 ? "\n\nIt was ~~struck~~ out, about ~5 times.\n" : "")
        }
        try repo.commit("add", bodies.enumerated().map {
            .write(GitPath("Articles/a\($0.offset).md"), ContentRepository.article("a\($0.offset)", category: .general, lastUpdated: "2026-04-07", body: $0.element))
        })
        let files = try repo.repository.files(under: "Articles", inTree: repo.repository.commit(repo.repository.headCommit()).tree)
        let missing = ObjectID(hex: String(repeating: "e", count: 40))!
        func encoded(_ content: ParsedContent?) -> [UInt8]? {
            guard let content else { return nil }
            var w = BinaryWriter()
            ParsedContentCodec.write(content, into: &w)
            return w.data
        }
        let articles = ArticleCacheBuffer(gitDirectory: repo.repository.gitDirectory, segmentSize: 512)
        let made = ParsePrefetch(gitDirectory: repo.repository.gitDirectory, blobs: files.map(\.id) + [missing], threads: 3,
                                 articles: articles, aPageIsParsedAlone: { puttingOff })
        let prefetch = try #require(made)
        let parsed = prefetch.finish(reading: repo.repository)
        #expect(parsed.count == files.count && parsed[missing] == nil)
        for file in files {
            let here = ParsedContent(try repo.repository.blob(file.id))
            #expect(encoded(parsed[file.id]) == encoded(here), "\(file.path)")
        }
        #expect(try #require(parsed[files[0].id]).findings.contains { $0.rule == .introWithoutList })
        #expect(try #require(parsed[files[0].id]).article.body.contains("~~struck~~"))
        // Each went into the article cache as it was parsed, as the cache's own save writes it.
        articles.save(repo.repository, keeping: nil)
        CacheWrites.wait()
        let saved = ArticleCache.load(repo.repository)
        #expect(saved.entries.count == files.count)
        for file in files { #expect(encoded(saved[file.id]) == encoded(parsed[file.id]), "\(file.path)") }

        // A worker holds at most its limit put off: here 2, of the 40 pages with a `~` that the
        // two workers (one thread and the caller) are handed, 20 or more to one of them.
        let limited = ParsePrefetch(gitDirectory: repo.repository.gitDirectory, blobs: files.map(\.id), threads: 1,
                                    aPageIsParsedAlone: { puttingOff }, putOffLimit: 2)
        let held = try #require(limited)
        let limitedParsed = held.finish(reading: repo.repository)
        #expect(limitedParsed.count == files.count)
        #expect(held.mostPutOff == (puttingOff ? 2 : 0))

        let madeToCancel = ParsePrefetch(gitDirectory: repo.repository.gitDirectory, blobs: files.map(\.id), threads: 1,
                                         aPageIsParsedAlone: { puttingOff })
        let cancelled = try #require(madeToCancel)
        cancelled.cancel()
        // Whatever was parsed before the cancel is still what parsing here gives.
        for (blob, content) in cancelled.finish(reading: repo.repository) {
            #expect(encoded(content) == encoded(parsed[blob]))
        }
        #expect(ParsePrefetch(gitDirectory: repo.repository.gitDirectory, blobs: [], threads: 1) == nil)
    }

    /// Entries are decoded apart (on all cores) by their stated lengths: an entry that is not
    /// exactly one value, even in a file that authenticates, makes the whole file ignored.
    @Test func anEntryThatIsNotExactlyOneValueVoidsTheFile() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let expected = try statusJSON(content, cache: true)
        let loaded = ArticleCache.load(content.repository)
        let (blob, value) = try #require(loaded.entries.first)
        let good = ArticleCache.encoding(value)
        let path = CacheFile.path(inGitDirectory: content.repository.gitDirectory, name: ArticleCache.name)
        /// A file of one entry: the blob, the length of `bytes`, then `bytes`.
        func store(_ bytes: [UInt8]) {
            var w = CacheFile.writer(magic: ArticleCache.magic)
            w.id(blob)
            w.u32(UInt32(bytes.count))
            w.raw(bytes)
            CacheFile.store(w, to: path)
        }
        for bytes in [good + [0], Array(good.dropLast()), [1, 2, 3]] {
            store(bytes)
            #expect(ArticleCache.load(content.repository).entries.isEmpty)
            #expect(try statusJSON(content, cache: true) == expected)
        }
        // Written the same way with the value as it is, it is read back.
        store(good)
        #expect(ArticleCache.load(content.repository).entries.keys.map { $0 } == [blob])
    }

    @Test func aCacheFromAnotherFormatIsNotTrusted() throws {
        let repo = try RepoBuilder()
        var w = CacheFile.writer(magic: "review article cache 0")
        w.u32(0)
        CacheFile.store(w, to: CacheFile.path(inGitDirectory: repo.repository.gitDirectory, name: ArticleCache.name))
        #expect(CacheFile.read(CacheFile.path(inGitDirectory: repo.repository.gitDirectory, name: ArticleCache.name), magic: ArticleCache.magic) == nil)
        #expect(CacheFile.read(CacheFile.path(inGitDirectory: repo.repository.gitDirectory, name: ArticleCache.name), magic: "review article cache 0") != nil)
    }
}

/// Bodies are cached apart and read only where something reads them; no answer changes.
@Suite struct BodyCacheTests {
    /// The contract's fixture policy without disclaimers or unreviewed fields: evaluating reads no body.
    static let policyReadingNoBody = ContentRepository.policy
        .replacingOccurrences(of: "    disclaimers: [medical]\n", with: "")
        .replacingOccurrences(of: "unreviewed-fields: [tags]\n", with: "")

    private func statusJSON(_ content: ContentRepository, caches: Bool = true) throws -> String {
        ReviewSession.finishCacheWrites()
        defer { ReviewSession.finishCacheWrites() }
        return StatusJSONReporter.render(try content.session(usesCaches: caches).reading.status(asOf: Day("2026-11-25")!))
    }

    /// Every article of the snapshot carries the body its file at HEAD has.
    private func expectEveryBody(_ content: ContentRepository) throws {
        ReviewSession.finishCacheWrites()
        let evaluation = try content.session().reading.evaluate(asOf: Day("2026-11-25")!)
        #expect(!evaluation.snapshot.articles.isEmpty)
        for facts in evaluation.snapshot.articles {
            let bytes = Array(try Git.run(["show", "HEAD:" + facts.article.path.text], in: content.path).utf8)
            #expect(facts.article.body == ArticleParser.parse(path: facts.article.path, bytes: bytes).0.body, "\(facts.article.path)")
            #expect(!facts.article.body.isEmpty)
        }
    }

    @Test func statusWithoutBodiesAnswersAsWithThem() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "flu": .general], reviewers: [.medical("ann"), .editorial("ed")])
        try content.commit("policy", [.write(Policy.path, Self.policyReadingNoBody)], on: "2026-04-08")
        let bodies = CacheFile.path(inGitDirectory: content.repository.gitDirectory, name: BodyCache.name)
        let uncached = try statusJSON(content, caches: false)
        #expect(try statusJSON(content) == uncached)  // the first run writes the article cache only: nothing read a body
        #expect(!FileManager.default.fileExists(atPath: bodies))
        #expect(try statusJSON(content) == uncached)  // warm: no body read
        #expect(!FileManager.default.fileExists(atPath: bodies))
        // What shows text reads them, and keeps them: each from its blob, not parsed again.
        let counts = RepositorySnapshot.LoadCounts()
        try RepositorySnapshot.$loadCounts.withValue(counts) { try expectEveryBody(content) }
        #expect(counts.counts == (parsed: 0, bodiesFromBlobs: 2))
        #expect(FileManager.default.fileExists(atPath: bodies))

        // An edit read by a run that reads no body: that run leaves the body cache as it was,
        // and the next run that needs the edited body parses it again.
        try content.edit("flu", category: .general, lastUpdated: "2026-05-01", on: "2026-05-01", body: "New text.")
        let before = try Data(contentsOf: URL(fileURLWithPath: bodies))
        #expect(try statusJSON(content) == (try statusJSON(content, caches: false)))
        ReviewSession.finishCacheWrites()
        #expect(try Data(contentsOf: URL(fileURLWithPath: bodies)) == before)
        try expectEveryBody(content)

        // No body cache at all: whatever needs bodies reads them again, and keeps them.
        try FileManager.default.removeItem(atPath: bodies)
        try expectEveryBody(content)
        ReviewSession.finishCacheWrites()
        #expect(FileManager.default.fileExists(atPath: bodies))
        #expect(try statusJSON(content) == (try statusJSON(content, caches: false)))
    }

    /// A first run builds a body cache where something may read one: asked for every body, or
    /// where the committed policy reads them. Where the committed policy reads none but the
    /// policy in force does (an edit that drops the disclaimers, not signed), the articles
    /// parsed ahead without bodies are parsed again, and their bodies kept.
    @Test func aFirstRunBuildsABodyCacheWhereABodyMayBeRead() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "flu": .general], reviewers: [.medical("ann"), .editorial("ed")])
        let bodies = CacheFile.path(inGitDirectory: content.repository.gitDirectory, name: BodyCache.name)
        try expectEveryBody(content)  // asked for every body, cold
        #expect(FileManager.default.fileExists(atPath: bodies))

        try content.governWith(on: "2026-04-08")  // the fixture's policy, which requires a disclaimer, signed
        try content.commit("policy", [.write(Policy.path, Self.policyReadingNoBody)], on: "2026-04-09")
        try content.commit("edit", [.write("Articles/pml.md", "---\ntitle: Pml\nlast-updated: 2026-05-01\ncategory: neurology\n---\n\nNo disclaimer.\n")],
                           on: "2026-05-01")
        let uncached = try statusJSON(content, caches: false)
        #expect(uncached.contains("unsigned-configuration") && uncached.contains("missing-disclaimer"), "\(uncached)")
        for file in try FileManager.default.contentsOfDirectory(atPath: content.repository.gitDirectory + "review") {
            try FileManager.default.removeItem(atPath: content.repository.gitDirectory + "review/" + file)
        }
        let counts = RepositorySnapshot.LoadCounts()
        #expect(try RepositorySnapshot.$loadCounts.withValue(counts) { try statusJSON(content) } == uncached)  // cold
        // Parsed ahead without bodies, then each body taken from its blob (one core: each parsed here).
        #expect([(0, 2), (2, 0)].contains { $0 == counts.counts })
        #expect(FileManager.default.fileExists(atPath: bodies))
        #expect(BodyCache.load(content.repository).entries.count == 2)
        #expect(try statusJSON(content) == uncached)  // warm
        try expectEveryBody(content)
    }

    /// Reading levels are measured only where a category sets a reading age: a cache written
    /// under a policy that sets none holds articles without one, and a run under a policy that
    /// sets one parses them again (cold or warm, parsed ahead or not), never passing an
    /// unmeasured article as readable.
    @Test func readingLevelsAreMeasuredWhereAPolicyReadsThem() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "flu": .general], reviewers: [.medical("ann"), .editorial("ed")])
        let prose = String(repeating: "Progressive multifocal leukoencephalopathy is an opportunistic demyelinating infection of oligodendrocytes. ", count: 8)
        try content.edit("pml", lastUpdated: "2026-04-08", on: "2026-04-08", body: prose + "\n\n" + ContentRepository.disclaimer)
        // No reading age: the cache holds no measure.
        let uncached = try statusJSON(content, caches: false)
        #expect(try statusJSON(content) == uncached)
        #expect(!uncached.contains("reading-level"))
        let written = ArticleCache.load(content.repository)
        #expect(written.entries.count == 2)
        #expect(written.entries.values.allSatisfy { $0.article.readability == nil })
        #expect(try statusJSON(content) == uncached)  // warm

        // A reading age for neurology: the warm run measures what the cache lacks.
        let policy = ContentRepository.policy.replacingOccurrences(of: "    disclaimers: [medical]\n", with: "    disclaimers: [medical]\n    reading-age: 11\n")
        try content.commit("reading age", [.write(Policy.path, policy)], on: "2026-04-09")
        let measured = try statusJSON(content, caches: false)
        #expect(measured.contains("reading-level"))
        #expect(!measured.contains("was not measured"))
        #expect(try statusJSON(content) == measured)  // warm, from the cache written without measures
        #expect(ArticleCache.load(content.repository).entries.values.allSatisfy { $0.article.readability != nil })
        #expect(try statusJSON(content) == measured)
        // Cold, parsed ahead under the committed policy.
        try FileManager.default.removeItem(atPath: CacheFile.path(inGitDirectory: content.repository.gitDirectory, name: ArticleCache.name))
        #expect(try statusJSON(content) == measured)
    }

    @Test func bodiesAreReadWhereEvaluationReadsThem() throws {
        // The fixture policy: a category requires a disclaimer, and tags are unreviewed.
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let uncached = try statusJSON(content, caches: false)
        #expect(try statusJSON(content) == uncached)
        #expect(try statusJSON(content) == uncached)
        #expect(!uncached.contains("missing-disclaimer"))
        // A damaged body cache is ignored: the bodies are read again.
        let bodies = CacheFile.path(inGitDirectory: content.repository.gitDirectory, name: BodyCache.name)
        var damaged = try Data(contentsOf: URL(fileURLWithPath: bodies))
        damaged[damaged.count / 2] ^= 0xFF
        try damaged.write(to: URL(fileURLWithPath: bodies))
        #expect(try statusJSON(content) == uncached)
    }
}

/// ``Teardown``: a one-command process keeps what it read until it exits; every other process
/// (these tests, the dashboard server) frees it as usual.
@Suite struct TeardownTests {
    final class Tracked {}

    @Test func aKeeperHoldsValuesOnlyOnceEnabled() {
        let keeper = Teardown.Keeper()
        weak var dropped: Tracked?
        do {
            let value = Tracked()
            dropped = value
            keeper.keep(value)
        }
        #expect(dropped == nil)
        keeper.enable()
        weak var kept: Tracked?
        do {
            let value = Tracked()
            kept = value
            keeper.keep((value, [1, 2, 3]))
        }
        #expect(kept != nil)
    }
}
