import Paths
import Foundation
@testable import GitKit
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// On a repository where most of the tree is not content (a monorepo), the history index
/// compares `Reviews/` and the content root only, and a policy that moves the root is answered
/// from an index widened to the new one, never from the old scope.
@Suite struct ScopedHistoryIndexTests {
    private func scope(_ content: ContentRepository) throws -> [GitPath] {
        let repository = content.repository
        let path = HistoryCacheFile.path(in: repository, directory: "")
        return try #require(HistoryCacheFile.load(from: path, directory: "", shallow: repository.shallowBoundary())).scope
    }

    private func describe(_ report: StatusReport) -> [String] {
        report.articles.map { "\($0)" } + report.otherFindings.map { "\($0)" }
    }

    /// Removes the caches once the previous run's are all written (`status` writes some while
    /// it goes on, as `review` does before it exits): removing them earlier raced that writer.
    private func forgetCaches(_ content: ContentRepository) throws {
        ReviewSession.finishCacheWrites()
        let repository = content.repository
        try FileManager.default.removeItem(atPath: repository.gitDirectory + "/review")
    }

    @Test func aMonorepoIndexCoversTheContentRootAndFollowsAMovedOne() throws {
        let page = "---\ntitle: A page\n---\n\nText.\n"
        let content = try ContentRepository(articles: [:], reviewers: [.editorial("ed")])
        try content.commit("import", [
            .write(Policy.path, AdoptionTests.policy + "content:\n  roots: [site/pages]\n"),
            .write("site/pages/a.md", page), .write("site/docs/c.md", page + "c\n"),
            .write("packages/x.js", "1"), .write("drafts/b.md", page + "b\n"),
        ], on: "2026-04-08")
        try content.commit("code", [.write("packages/x.js", "2"), .write("site/components/y.js", "1")], on: "2026-04-09")
        try content.commit("publish a draft", [.remove("drafts/b.md"), .write("site/pages/b.md", page + "b\n")], on: "2026-04-10")

        let cold = describe(try content.status(asOf: "2026-05-01"))
        #expect(try scope(content) == ["Reviews/", "site/pages/"])
        #expect(describe(try content.status(asOf: "2026-05-01")) == cold)
        #expect(cold.count >= 2)

        // The policy moves its root: the stored index does not cover it, so it is widened.
        try content.commit("move the root", [
            .write(Policy.path, AdoptionTests.policy + "content:\n  roots: [site/docs]\n"),
            .write("site/docs/d.md", page + "d\n"), .write("packages/x.js", "3"),
        ], on: "2026-04-11")
        let widened = describe(try content.status(asOf: "2026-05-01"))
        #expect(try scope(content) == ["Reviews/", "site/docs/", "site/pages/"])
        try forgetCaches(content)
        #expect(describe(try content.status(asOf: "2026-05-01")) == widened)
        #expect(try scope(content) == ["Reviews/", "site/docs/"])
        #expect(widened.contains { $0.contains("site/docs/c.md") } && !widened.contains { $0.contains("site/pages/a.md") })
    }
}
