import Foundation
import GitKit
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// Issue 18: what a team adopting review on an existing repository needs first.
@Suite struct AdoptionTests {
    static let asOf = Day("2026-05-01")!

    private func requests(_ slugs: [String], as reviewer: String = "ann", role: String = "medical") -> [SignOffRequest] {
        slugs.map { SignOffRequest(article: $0, reviewer: reviewer, role: role, decision: .approve, comment: "batch",
                                   timestamp: ContentRepository.time("2026-04-09")) }
    }

    @Test func oneReviewerApprovesManyArticlesInOneCommit() throws {
        let content = try ContentRepository(articles: ["a": .neurology, "b": .neurology, "c": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.builder.checkoutHead()
        let before = try content.repository.headCommit()
        let (signOffs, commit) = try content.session().record(requests(["a", "b", "c"]), key: content.key("ann")!)
        #expect(signOffs.map(\.article) == ["Articles/a.md", "Articles/b.md", "Articles/c.md"])
        let made = try content.repository.commit(ObjectID(hex: commit)!)
        #expect(made.parents == [before])
        let report = try content.status(asOf: "2026-05-01")
        #expect(report.articles.allSatisfy { $0.approvals.map(\.role) == ["medical"] && $0.findings.allSatisfy { $0.rule != .badSignature } })
    }

    @Test func oneRefusalWritesNothingAndNamesIt() throws {
        let content = try ContentRepository(articles: ["a": .neurology, "b": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.edit("b", lastUpdated: "2026-04-08", author: "Ann")  // ann's own edit: she may not approve b
        try content.builder.checkoutHead()
        let before = try content.repository.headCommit()
        #expect {
            try content.session().record(requests(["a", "b"]), key: content.key("ann")!)
        } throws: { error in
            let text = (error as? ReviewError)?.description ?? ""
            return text.contains("refused 1 of 2 articles, so nothing was written") && text.contains("Articles/b.md") && text.contains("self-approval")
        }
        #expect(try content.repository.headCommit() == before)
    }

    @Test func aFolderIsEveryArticleBelowIt() throws {
        let content = try ContentRepository(articles: ["a": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.commit("nested", [.write("Articles/neuro/x.md", ContentRepository.article("x", category: .neurology, lastUpdated: "2026-04-07")),
                                      .write("Articles/neuro/deep/y.md", ContentRepository.article("y", category: .neurology, lastUpdated: "2026-04-07"))],
                           on: "2026-04-07")
        #expect(try content.session().articlePaths(inFolder: "Articles/neuro") == ["Articles/neuro/deep/y.md", "Articles/neuro/x.md"])
        #expect(throws: ReviewError.self) { try content.session().articlePaths(inFolder: "Articles/none") }
    }

    @Test func repoNamingASubfolderOrNothing() throws {
        let content = try ContentRepository(articles: ["a": .neurology], reviewers: [.medical("ann")])
        try content.builder.checkoutHead()
        #expect(try ReviewSession.open(content.path + "/Articles").status(asOf: Self.asOf).articles.map(\.slug) == ["a"])
        #expect {
            try ReviewSession.open(content.path + "/missing")
        } throws: { error in
            (error as? ReviewError)?.description.contains("missing: error: no such file or directory") == true
        }
    }

    @Test func newRefusesWhatCheckWould() throws {
        let content = try ContentRepository(articles: ["a": .neurology], reviewers: [.medical("ann")])
        try content.builder.checkoutHead()
        let session = try content.session()
        #expect(throws: ReviewError.self) { try session.newArticle(slug: "b", title: "  ", category: "neurology", section: nil, today: Self.asOf) }
        #expect(throws: ReviewError.self) { try session.newArticle(slug: "a", title: "A", category: "neurology", section: "other", today: Self.asOf) }
        #expect(throws: ReviewError.self) { try session.newArticle(slug: "B", title: "B", category: "neurology", section: nil, today: Self.asOf) }
    }

    @Test func anIgnoredBulkCommitIsNeverTheLastChange() throws {
        let content = try ContentRepository(articles: ["a": .neurology, "b": .neurology], reviewers: [.medical("ann")])
        let real = try content.edit("a", lastUpdated: "2026-04-08", body: "Real change.")
        // A mechanical conversion on 2026-04-10 touches both, without bumping last-updated.
        let bulk = try content.builder.commit("Convert line endings", [
            .write("Articles/a.md", ContentRepository.article("a", category: .neurology, lastUpdated: "2026-04-08", body: "Real change. ")),
            .write("Articles/b.md", ContentRepository.article("b", category: .neurology, lastUpdated: "2026-04-07", body: "Text. ")),
        ], time: ContentRepository.time("2026-04-10"))
        let before = try content.status(asOf: "2026-05-01")
        #expect(before.articles.allSatisfy { $0.lastChangedCommit == bulk.hex && $0.findings.contains { $0.rule == .lastUpdatedNotBumped } })
        try content.commit("ignore the conversion", [.write(IgnoreRevisions.path, "# line endings\n\(bulk.hex)\n")], on: "2026-04-11")
        let after = try content.status(asOf: "2026-05-01")
        let a = after.articles.first { $0.slug == "a" }!, b = after.articles.first { $0.slug == "b" }!
        #expect(a.lastChangedCommit == real.hex && b.lastChangedCommit != bulk.hex)
        #expect(after.articles.allSatisfy { !$0.findings.contains { $0.rule == .lastUpdatedNotBumped } })
        // An abbreviated id is refused with its line.
        #expect(throws: ReviewError.self) { try IgnoreRevisions.parse(Array("# x\n\(bulk.hex.prefix(7))\n".utf8)) }
    }
}
