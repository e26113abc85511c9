import Paths
import Foundation
import GitKit
import BinaryStore
import ReviewCore
@testable import ReviewKit
import Testing
import TestSupport

/// The text-change answers (``ArticleFacts/textChange``, what `last-updated-not-bumped` cites)
/// are the same found afresh, taken from the ``TextChangeCache``, after new commits, and from a
/// damaged cache; answers that passed a merge which changed the file are stored for the
/// revision read only.
@Suite struct TextChangeCacheTests {
    private func page(lastUpdated: String = "2026-01-01", tags: String = "[a]", body: String) -> String {
        "---\ntitle: A\nlast-updated: \(lastUpdated)\ncategory: neurology\ntags: \(tags)\n---\n\n\(body)\n\n\(ContentRepository.disclaimer)\n"
    }

    private func write(_ content: ContentRepository, _ slug: String, _ text: String, on day: String) throws {
        try content.builder.commit("Edit \(slug)", [.write(GitPath("Articles/\(slug).md"), text)], time: ContentRepository.time(day))
    }

    /// Each article's path and text change at HEAD; the cache as it is on disk afterwards.
    private func answers(_ content: ContentRepository, usesCaches: Bool, trackAll: Bool = false) throws -> [String] {
        ReviewSession.finishCacheWrites()
        defer { ReviewSession.finishCacheWrites() }
        let snapshot = try RepositorySnapshot.load(from: content.repository, revision: try content.repository.headCommit(),
                                                   trackAll: trackAll, usesCaches: usesCaches)
        return snapshot.articles.map { "\($0.article.path) \($0.textChange)" }
    }

    private func cachePath(_ content: ContentRepository) -> String {
        CacheFile.path(inGitDirectory: content.repository.gitDirectory, name: TextChangeCache.name)
    }

    /// Article d: both sides of a merge changed it, and the merge resolved it to a third text.
    private func writeMergedArticle(_ content: ContentRepository) throws {
        try write(content, "d", page(body: "One."), on: "2026-01-01")
        let base = try content.repository.headCommit()
        let side = try content.builder.commit("side", [.write("Articles/d.md", page(body: "Two."))], parents: [base],
                                              time: ContentRepository.time("2026-03-01"), moveBranch: false)
        try write(content, "d", page(body: "Three."), on: "2026-03-02")
        try content.builder.merge(side, [.write("Articles/d.md", page(body: "Four."))], time: ContentRepository.time("2026-03-03"))
    }

    @Test func cachedAnswersEqualFreshOnes() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2026-01-01")
        // a: a word readers see changed, then only metadata; b: only metadata; c: created late.
        try write(content, "a", page(body: "The virus stays dormant."), on: "2026-01-01")
        try write(content, "a", page(body: "The virus stays latent."), on: "2026-04-01")
        try write(content, "a", page(tags: "[b]", body: "The virus stays latent."), on: "2026-04-20")
        try write(content, "b", page(body: "Stable text."), on: "2026-01-01")
        try write(content, "b", page(tags: "[c]", body: "Stable\ntext."), on: "2026-05-01")
        try write(content, "c", page(body: "New article."), on: "2026-03-11")
        // d: both sides of a merge changed it, and the merge resolved it to a third text.
        try writeMergedArticle(content)

        for trackAll in [false, true] {
            try? FileManager.default.removeItem(atPath: cachePath(content))
            let fresh = try answers(content, usesCaches: false, trackAll: trackAll)
            #expect(fresh.contains { $0.hasPrefix("Articles/a.md change") && $0.contains("2026-04-01") }, "\(fresh)")
            #expect(fresh.contains("Articles/b.md none"), "\(fresh)")
            #expect(!FileManager.default.fileExists(atPath: cachePath(content)))
            // Found and stored, then taken from the cache: the same answers.
            #expect(try answers(content, usesCaches: true, trackAll: trackAll) == fresh)
            let stored = TextChangeCache.load(gitDirectory: content.repository.gitDirectory)
            // a, b, c; and d, whose history passed the merge, for this revision.
            #expect(stored.entries.count == 4)
            #expect(try answers(content, usesCaches: true, trackAll: trackAll) == fresh)
        }

        // A commit to another file: the stored answers still hold at the new revision.
        try content.commit("other", [.write("Articles/e.md", page(lastUpdated: "2026-06-01", body: "E."))], on: "2026-06-01")
        let fresh = try answers(content, usesCaches: false)
        #expect(try answers(content, usesCaches: true) == fresh)
        // An edit that changes a's last change and its answer.
        try write(content, "a", page(lastUpdated: "2026-01-01", tags: "[b]", body: "The virus stays latent for years."), on: "2026-06-10")
        let edited = try answers(content, usesCaches: false)
        #expect(edited != fresh)
        #expect(try answers(content, usesCaches: true) == edited)
    }

    /// An answer whose history passed a merge that changed the file (an order later commits may
    /// change) is stored under the revision read: used again there, never at another revision.
    @Test func anAnswerPastAMergeHoldsAtItsRevisionOnly() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2026-01-01")
        try writeMergedArticle(content)
        let fresh = try answers(content, usesCaches: false)
        #expect(fresh.count == 1 && fresh[0].hasPrefix("Articles/d.md change"), "\(fresh)")
        #expect(try answers(content, usesCaches: true) == fresh)
        var stored = TextChangeCache.load(gitDirectory: content.repository.gitDirectory)
        #expect(stored.entries.count == 1)
        // Another answer planted under the same key: at this revision it is the one used...
        let (id, entry) = try #require(stored.entries.first)
        stored.insert(TextChangeCodec.Entry(key: entry.key, answer: .none), for: id)
        stored.save(content.repository)
        ReviewSession.finishCacheWrites()
        #expect(try answers(content, usesCaches: true) == ["Articles/d.md none"])
        // ...and never at the next revision, where it is searched again.
        try content.commit("other", [.write("Articles/e.md", page(lastUpdated: "2026-06-01", body: "E."))], on: "2026-06-01")
        let later = try answers(content, usesCaches: false)
        #expect(later.contains { $0.hasPrefix("Articles/d.md change") }, "\(later)")
        #expect(try answers(content, usesCaches: true) == later)
        // The old revision's entry is not kept beside the new one.
        #expect(TextChangeCache.load(gitDirectory: content.repository.gitDirectory).entries.count == 1)
    }

    @Test func aDamagedCacheGivesTheSameAnswers() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2026-01-01")
        try write(content, "a", page(body: "The virus stays dormant."), on: "2026-01-01")
        try write(content, "a", page(body: "The virus stays latent."), on: "2026-04-01")
        let fresh = try answers(content, usesCaches: false)
        #expect(try answers(content, usesCaches: true) == fresh)
        let good = try Data(contentsOf: URL(fileURLWithPath: cachePath(content)))
        for damage in [{ (d: inout Data) in d[d.count / 2] ^= 0x01 }, { d in d = d.prefix(d.count - 3) }, { d in d = Data() }] {
            var broken = good
            damage(&broken)
            try broken.write(to: URL(fileURLWithPath: cachePath(content)))
            #expect(TextChangeCache.load(gitDirectory: content.repository.gitDirectory).entries.isEmpty)
            #expect(try answers(content, usesCaches: true) == fresh)
            #expect(TextChangeCache.load(gitDirectory: content.repository.gitDirectory).entries.count == 1)
        }
    }

    /// An entry filed under a key whose bytes differ is not used.
    @Test func anEntryUnderAnotherKeyIsNotUsed() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2026-01-01")
        try write(content, "a", page(body: "The virus stays dormant."), on: "2026-01-01")
        try write(content, "a", page(tags: "[b]", body: "The virus stays dormant."), on: "2026-04-01")
        let fresh = try answers(content, usesCaches: true)
        #expect(fresh == ["Articles/a.md none"])
        var stored = TextChangeCache.load(gitDirectory: content.repository.gitDirectory)
        let (id, entry) = try #require(stored.entries.first)
        let wrong = ChangeFact(commit: String(repeating: "0", count: 40), authorName: "X", authorEmail: "x@x", date: Day("2026-04-01")!, blobAfter: nil)
        stored.insert(TextChangeCodec.Entry(key: entry.key + [0], answer: .change(wrong)), for: id)
        stored.save(content.repository)
        ReviewSession.finishCacheWrites()
        #expect(try answers(content, usesCaches: true) == fresh)
    }
}
