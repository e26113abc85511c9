import Paths
@testable import ReviewCore
import Testing

/// Issue 19, item 3: a status report fits a pull-request comment.
@Suite struct MarkdownReportTests {
    /// Repository values cannot carry markup into a pull-request comment (issue 35): rendered
    /// as GitHub renders Markdown (cmark-gfm with autolinks), a hostile title and finding
    /// make no image, link or HTML, and mentions and issue references are escaped.
    @Test func repositoryValuesAreEscapedAsMarkdown() {
        let hostile = "![pixel](https://t.example/p.png) [click](https://evil.example) <img src=x> https://bare.example *em* @org/team #12 `code` | pipe"
        let status = ArticleStatus(slug: "flu", path: "Articles/flu.md", title: hostile, state: .draft, freshness: .fresh, revision: "r",
                                   approvals: [], missingRoles: [], findings: [Finding(.invalidFrontMatter, path: "Articles/flu.md", line: 2, hostile)],
                                   isRetired: false)
        let report = StatusReport(asOf: Day("2026-11-30")!, head: "h", articles: [status], otherFindings: [Finding(.ungovernedConfiguration, path: "Reviews/root.yml", hostile)])
        let markdown = MarkdownReporter.render(report)
        let html = MarkdownHTML.render(markdown)
        #expect(!html.contains("<img") && !html.contains("<a ") && !html.contains("<em>") && !html.contains("<code>code"), "\(html)")
        #expect(!markdown.contains(" @org") && markdown.contains("\\@org") && markdown.contains("\\#12"))
        // The words are all still there for a reader.
        #expect(html.contains("pixel") && html.contains("click") && html.contains("org/team"))
    }

    @Test func markdownStaysUnderAPullRequestCommentsLimit() {
        let statuses = (0..<3000).map { i in
            ArticleStatus(slug: "article-\(i)", path: GitPath("Articles/article-\(i).md"), title: "A rather long title for article number \(i)",
                          category: "general", state: .draft, freshness: .fresh, lastUpdated: nil, lastChanged: nil, lastChangedCommit: nil,
                          lastChangedBy: nil, lastReviewed: nil, nextReviewDue: nil, revision: "b\(i)", approvals: [], missingRoles: ["editorial"],
                          findings: i >= 2995 ? [Finding(.missingDisclaimer, path: GitPath("Articles/article-\(i).md"), line: 9, "add the disclaimer")] : [],
                          lastApprovedRevision: nil, isRetired: false)
        }
        let text = MarkdownReporter.render(StatusReport(asOf: Day("2026-11-25")!, head: "0", articles: statuses))
        #expect(text.utf16.count <= MarkdownReporter.limit)
        #expect(text.hasPrefix("### Medical review status\n\n3000 articles"))
        // Articles with blocking findings come first, whatever their path; the rest are counted.
        #expect(text.contains("(`article-2999`)") && text.contains("more articles not shown"))
    }
}

/// Issue 19, item 2: GitLab Code Quality with fingerprints stable across runs.
@Suite struct CodeQualityReportTests {
    private func fingerprints(_ findings: [Finding]) -> [String] {
        let text = CodeQualityReporter.render(StatusReport(asOf: Day("2026-11-25")!, head: "0", articles: [], otherFindings: findings))
        return text.split(separator: "\n").filter { $0.contains("\"fingerprint\"") }.map { String($0.split(separator: "\"")[3]) }
    }

    @Test func aFindingKeepsItsFingerprintWhenLinesMove() {
        let a = fingerprints([Finding(.repeatedText, path: "Articles/a.md", line: 9, "this block repeats line 5 word for word")])
        let b = fingerprints([Finding(.repeatedText, path: "Articles/a.md", line: 14, "this block repeats line 5 word for word")])
        #expect(a == b && a.count == 1)
        // Two identical findings in one file get two fingerprints, the same in every run.
        let twice = [Finding(.brokenLink, path: "Articles/a.md", line: 3, "gone"), Finding(.brokenLink, path: "Articles/a.md", line: 8, "gone")]
        #expect(Set(fingerprints(twice)).count == 2 && fingerprints(twice) == fingerprints(twice))
    }
}
