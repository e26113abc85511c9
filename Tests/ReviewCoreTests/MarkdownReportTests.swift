@testable import ReviewCore
import Testing

/// Issue 19, item 3: a status report fits a pull-request comment.
@Suite struct MarkdownReportTests {
    @Test func markdownStaysUnderAPullRequestCommentsLimit() {
        let statuses = (0..<3000).map { i in
            ArticleStatus(slug: "article-\(i)", path: "Articles/article-\(i).md", title: "A rather long title for article number \(i)",
                          category: "general", state: .draft, freshness: .fresh, lastUpdated: nil, lastChanged: nil, lastChangedCommit: nil,
                          lastChangedBy: nil, lastReviewed: nil, nextReviewDue: nil, revision: "b\(i)", approvals: [], missingRoles: ["editorial"],
                          findings: i >= 2995 ? [Finding(.missingDisclaimer, path: "Articles/article-\(i).md", line: 9, "add the disclaimer")] : [],
                          lastApprovedRevision: nil, isRetired: false)
        }
        let text = MarkdownReporter.render(StatusReport(asOf: Day("2026-11-25")!, head: "0", articles: statuses))
        #expect(text.utf16.count <= MarkdownReporter.limit)
        #expect(text.hasPrefix("### Medical review status\n\n3000 articles"))
        // Articles with blocking findings come first, whatever their path; the rest are counted.
        #expect(text.contains("(`article-2999`)") && text.contains("more articles not shown"))
    }
}
