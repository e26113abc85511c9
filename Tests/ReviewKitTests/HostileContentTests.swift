import Paths
import Foundation
import GitKit
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// Content nobody should write, read without a crash, a hang or a guess.
@Suite struct HostileContentTests {
    /// Its speed is measured by Scripts/check/torture on the built binary, not here (no timed tests).
    @Test func aHugeArticleIsParsed() throws {
        let line = "This sentence repeats to make a very large article body, with words and punctuation.\n"
        let body = String(repeating: line, count: 20_000_000 / line.utf8.count)
        let text = "---\ntitle: Huge\nlast-updated: 2026-01-01\ncategory: neurology\n---\n" + body
        let (article, findings) = ArticleParser.parse(path: "Articles/huge.md", bytes: Array(text.utf8))
        // One sentence a million times over is one paragraph repeating itself.
        #expect(findings.map(\.rule) == [.repeatedText])
        #expect(DisclaimerMatcher.match(ContentRepository.disclaimer, in: article.body) == .missing)
    }

    @Test func aHundredThousandShortLinesAreFine() throws {
        let body = (0..<100_000).map { "line \($0)" }.joined(separator: "\n")
        let text = "---\ntitle: Long\nlast-updated: 2026-01-01\ncategory: neurology\n---\n" + body + "\n\n" + ContentRepository.disclaimer + "\n"
        let (article, findings) = ArticleParser.parse(path: "Articles/long.md", bytes: Array(text.utf8))
        #expect(findings.isEmpty)
        #expect(DisclaimerMatcher.match(ContentRepository.disclaimer, in: article.body) == .present)
    }

    @Test func symlinksAndSubmodulesNamedLikeArticlesAreReportedNotRead() throws {
        let content = try ContentRepository(articles: ["ok": .neurology], reviewers: [.medical("ann")])
        let repo = content.repository
        // A symlink pointing outside the repository, a submodule entry and a non-Markdown file.
        try Git.run(["-c", "core.symlinks=true", "update-index", "--add", "--cacheinfo", "120000,\(try repo.writeBlob(Array("/etc/passwd".utf8)).hex),Articles/evil.md"], in: content.path)
        try Git.run(["update-index", "--add", "--cacheinfo", "160000,\(try repo.headCommit().hex),Articles/module"], in: content.path)
        try Git.run(["update-index", "--add", "--cacheinfo", "160000,\(try repo.headCommit().hex),Articles/vendor.md"], in: content.path)
        try "binary".write(toFile: content.path + "/Articles/photo.png", atomically: true, encoding: .utf8)
        try Git.run(["add", "Articles/photo.png"], in: content.path)
        try Git.run(["commit", "-q", "-m", "odd entries"], in: content.path)
        let report = try content.status(asOf: "2026-11-25")
        let messages = report.otherFindings.map { "\($0.path): \($0.message)" }
        #expect(messages.contains { $0.hasPrefix("Articles/evil.md: a symlink is not an article and is not read") })
        #expect(messages.contains { $0.hasPrefix("Articles/vendor.md: a submodule is not an article and is not read") })
        // Files that are not Markdown (an image, a submodule without .md) are assets, not findings.
        #expect(!messages.contains { $0.hasPrefix("Articles/photo.png") || $0.hasPrefix("Articles/module") })
        #expect(report.articles.map(\.slug) == ["ok"])
    }

    /// Every later article with a slug is reported against the first that has it, the first not
    /// at all (in the order of the paths).
    @Test func articlesWithOneSlugAreReportedAgainstTheFirst() throws {
        let content = try ContentRepository(articles: ["ok": .neurology], reviewers: [.medical("ann")])
        let copy = ContentRepository.article("ok", category: .neurology, lastUpdated: "2026-04-07")
        try content.commit("copies", [.write("Articles/other/ok.md", copy), .write("Articles/third/ok.md", copy)], on: "2026-04-07")
        let report = try content.status(asOf: "2026-11-25")
        let slugFindings = report.allFindings.filter { $0.message.contains("also used by") }
        #expect(slugFindings.map(\.path) == ["Articles/other/ok.md", "Articles/third/ok.md"])
        #expect(slugFindings.allSatisfy { $0.message.contains("also used by Articles/ok.md;") })
    }
}

/// Inputs the fuzzer flagged, kept as regression tests.
@Suite struct FuzzRegressionTests {
    static let inputs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzRegressions")

    /// Chains of `? ` explicit keys nest mappings as keys; libFuzzer timed out on this input.
    /// Explicit keys are now refused before Yams sees the text.
    @Test func nestedExplicitKeysInASignOffRecord() throws {
        let bytes = try Data(contentsOf: Self.inputs.appendingPathComponent("signoff-nested-explicit-keys.yml"))
        guard case .failure(let finding) = SignOffParser.parse(path: "Reviews/signoffs/x/y.yml", bytes: Array(bytes)) else {
            Issue.record("a record of nested explicit keys was accepted")
            return
        }
        #expect(finding.rule == .unreadableRecord)
        #expect(finding.message.contains("explicit keys"), "\(finding.message)")
    }
}
