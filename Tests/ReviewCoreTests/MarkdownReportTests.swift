import Paths
@testable import ReviewCore
import Testing

/// Issue 19, item 3: a status report fits a pull-request comment.
@Suite struct MarkdownReportTests {
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
