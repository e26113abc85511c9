import Foundation
import GitKit
import Paths
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// One bad date never blocks the whole site (issue 31, item 6): the date guard looks at what
/// is published, names the commit, and blames no option.
@Suite struct PublishDateTests {
    private func approved() throws -> ContentRepository {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        return content
    }

    @Test func aDraftDatedInTheFutureDoesNotStopOtherPages() throws {
        let content = try approved()
        try content.commit("A draft from a wrong clock", [.write("Articles/later.md", ContentRepository.article("later", category: .general, lastUpdated: "2026-04-09"))],
                           on: "2099-01-01")
        let outcome = try content.session().publishing.publish(asOf: Day("2026-04-10")!, dryRun: false, now: ContentRepository.time("2026-04-10"))
        #expect(outcome.plan.entries.map(\.path) == ["Articles/pml.md"])
        #expect(outcome.commit != nil)
    }

    @Test func anApprovalCommittedAfterThePublicationDateIsRefusedNamingItsCommit() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        // Signed on the 9th, committed on the 11th: publishing on the 10th would publish it.
        try content.writeRecord("pml", as: "ed", role: "editorial", on: "2026-04-09", committedOn: "2026-04-11")
        let commit = try content.repository.headCommit()
        #expect {
            try content.session().publishing.publish(asOf: Day("2026-04-10")!, dryRun: true, now: ContentRepository.time("2026-04-10"))
        } throws: { error in
            let text = (error as? ReviewError)?.description ?? ""
            return text.contains("dated 2026-04-10") && text.contains("commit \(commit.short)") && text.contains("is dated 2026-04-11")
                && !text.contains("--as-of")
        }
        #expect(try content.session().publishing.publish(asOf: Day("2026-04-11")!, dryRun: true, now: ContentRepository.time("2026-04-11")).plan.entries.count == 1)
    }
}
