import Paths
import Foundation
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// `review status ARTICLE` tells the history as it is (issue 32, item 5): it listed approvals
/// only, hiding an earlier change request. A change only in fields the policy leaves unreviewed
/// is not a change since approval; an edit of reviewed text is, counted in lines.
@Suite struct DetailHistoryTests {
    @Test func theDetailShowsChangeRequestsAndWhatAnApprovalCovers() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ann", role: "medical", .requestChanges, on: "2026-04-08", comment: "check the dose")
        try content.edit("pml", lastUpdated: "2026-04-09", on: "2026-04-09", body: "The dose is checked.")
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-10")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-10")
        // Only the unreviewed `tags` change: the approval still covers the article.
        try content.edit("pml", lastUpdated: "2026-04-09", on: "2026-04-11", body: "The dose is checked.", tags: "[b]")
        let session = try content.session()
        let status = try #require(try session.reading.status(asOf: Day("2026-04-12")!).articles.first)
        #expect(status.state == .approved)
        let summary = try session.reading.changeSummary(status)
        #expect(summary == "unchanged since its approval", "\(summary)")
        let detail = DetailReporter.render(status, asOf: Day("2026-04-12")!, changeSummary: summary)
        let lines = detail.components(separatedBy: "\n")
        let decisions = try #require(lines.firstIndex(of: "  decisions"))
        // Newest first: the two approvals, then the change request they answered.
        #expect(lines[decisions + 3].contains("2026-04-08  medical     requested changes  Ann, MD") && lines[decisions + 3].contains("\"check the dose\""), "\(detail)")
        #expect(lines[decisions + 1].contains("2026-04-10") && lines[decisions + 1].contains("approved"), "\(detail)")
        #expect(lines[decisions + 3].contains("earlier revision"), "\(detail)")
        // An edit of reviewed text is a change since approval, counted in lines (the body line and
        // the tags line, against the revision approved).
        try content.edit("pml", lastUpdated: "2026-04-09", on: "2026-04-12", body: "The dose is halved.", tags: "[b]")
        let edited = try #require(try content.session().reading.status(asOf: Day("2026-04-13")!).articles.first)
        let changed = try content.session().reading.changeSummary(edited)
        #expect(changed.hasPrefix("+2 -2 lines since approved revision"), "\(changed)")
        withExtendedLifetime(content) {}
    }
}
