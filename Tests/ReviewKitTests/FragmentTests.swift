import Foundation
import GitKit
import Paths
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// Shared fragments (issue 37, item 1): an approval must cover what readers see, so a fragment is
/// reviewed as a file and an article is approved only while every fragment it includes is.
@Suite struct FragmentTests {
    static let policy = ContentRepository.policy + """
        fragments:
          paths: ["Articles/fragments/**"]
          syntax: [comment, docfx]

        """
    static let fragment: GitPath = "Articles/fragments/call-999.md"
    private let author = Signature(name: "Publisher", email: "pub@example.org", time: 1_800_000_000)

    /// pml includes the fragment; fragments are on.
    private func content(fragment text: String = "Call 999 if the face droops.",
                         include: String = "<!-- include: fragments/call-999.md -->") throws -> ContentRepository {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.commit("Fragments", [
            .write(Policy.path, Self.policy),
            .write(Self.fragment, text + "\n"),
            .write("Articles/pml.md", ContentRepository.article("pml", category: .neurology, lastUpdated: "2026-04-08",
                                                                body: "Before.\n\n\(include)\n\nAfter.")),
        ], on: "2026-04-08")
        try content.builder.checkoutHead()
        return content
    }

    private func approve(_ content: ContentRepository, _ name: String, on day: String) throws {
        try content.signOff(name, as: "ann", role: "medical", on: day)
        try content.signOff(name, as: "ed", role: "editorial", on: day)
    }

    private func pml(_ content: ContentRepository, asOf day: String) throws -> ArticleStatus {
        try #require(try content.status(asOf: day).articles.first { $0.slug == "pml" })
    }

    @Test func aFragmentChangedAfterApprovalTakesTheArticleOutOfApprovedUntilItIsApproved() throws {
        let content = try content()
        try approve(content, "pml", on: "2026-04-09")
        // Its own revision is approved, but the fragment it includes never was.
        var status = try pml(content, asOf: "2026-04-10")
        #expect(status.state == .inReview)
        let never = try #require(status.findings.first { $0.rule == .fragmentChanged })
        #expect(never.message.contains("Articles/fragments/call-999.md") && never.message.contains("never been approved"))
        #expect(never.line == 10)  // the include's file line
        #expect(never.severity == .error)
        // Fragments are not articles: not listed, and no front-matter or disclaimer finding.
        let report = try content.status(asOf: "2026-04-10")
        #expect(report.articles.map(\.path) == ["Articles/pml.md"])
        #expect(!report.otherFindings.contains { $0.path == Self.fragment })

        // The fragment approved (as a file, with `approve`) in the roles its includer's category requires.
        try approve(content, "Articles/fragments/call-999.md", on: "2026-04-10")
        status = try pml(content, asOf: "2026-04-11")
        #expect(status.state == .approved)
        #expect(!status.findings.contains { $0.rule == .fragmentChanged })

        // The fragment edited after its approval: every includer shows it, naming the fragment.
        try content.commit("Edit the fragment", [.write(Self.fragment, "Call 112 if the face droops.\n")], on: "2026-04-12")
        try content.builder.checkoutHead()
        status = try pml(content, asOf: "2026-04-12")
        #expect(status.state == .inReview)
        let changed = try #require(status.findings.first { $0.rule == .fragmentChanged })
        #expect(changed.message.contains("Articles/fragments/call-999.md") && changed.message.contains("changed since its approval"))
        // diff shows the fragment's change.
        let (_, fragments) = try content.session().reading.diffWithFragments("pml", asOf: Day("2026-04-12")!)
        guard case .changed(let fragmentStatus, let patch, _, _)? = fragments.first else { Issue.record("no fragment diff"); return }
        #expect(fragmentStatus.path == Self.fragment)
        #expect(patch.contains("-Call 999") && patch.contains("+Call 112"))

        // `due` lists the fragment for each role it awaits.
        let queue = try content.session().reading.due(asOf: Day("2026-04-12")!)
        #expect(queue.items.filter { $0.path == Self.fragment }.map(\.role).sorted() == ["editorial", "medical"])

        // Approving the new revision clears it.
        try approve(content, "call-999", on: "2026-04-13")
        #expect(try content.session().reading.due(asOf: Day("2026-04-13")!).items.allSatisfy { $0.path != Self.fragment })
        status = try pml(content, asOf: "2026-04-13")
        #expect(status.state == .approved)
        #expect(status.findings.filter { $0.rule == .fragmentChanged }.isEmpty)
    }

    /// A fragment's records are judged like an article's: a forged one does not count, and
    /// `verify` and `status` say so on the record's path (a finding never disappears).
    @Test func aForgedFragmentRecordIsReportedAndDoesNotCount() throws {
        let content = try content()
        try approve(content, "pml", on: "2026-04-09")
        try content.signOff("call-999", as: "ed", role: "editorial", on: "2026-04-09")
        let forged = try content.writeRecord("call-999", as: "ann", role: "medical", on: "2026-04-10", signer: "ed")
        let report = try content.status(asOf: "2026-04-11")
        #expect(report.articles.first { $0.slug == "pml" }?.state == .inReview)
        #expect(report.otherFindings.contains { $0.rule == .badSignature })
        let verify = try content.session().reading.verify(asOf: Day("2026-04-11")!)
        #expect(verify.failed)
        #expect(verify.findings.contains { $0.rule == .badSignature && $0.path == forged.canonicalPath })
    }

    /// `check --changed-since` keeps an article whose fragment changed, though its own file did not.
    @Test func checkChangedSinceKeepsTheArticlesOfAChangedFragment() throws {
        let content = try content()
        try approve(content, "pml", on: "2026-04-09")
        try approve(content, "call-999", on: "2026-04-09")
        let base = try content.repository.headCommit()
        try content.commit("Edit the fragment", [.write(Self.fragment, "Call 112 if the face droops.\n")], on: "2026-04-10")
        try content.builder.checkoutHead()
        let report = try content.session().reading.check(asOf: Day("2026-04-11")!, changedSince: base.hex)
        #expect(report.articles.map(\.path) == ["Articles/pml.md"])
        #expect(report.articles.first?.findings.contains { $0.rule == .fragmentChanged } == true)
    }

    @Test func aMissingFragmentIsAFindingNamingTheFileAndLine() throws {
        let content = try content(include: "[!INCLUDE[warning](fragments/none.md)]")
        try approve(content, "pml", on: "2026-04-09")
        let status = try pml(content, asOf: "2026-04-10")
        let missing = try #require(status.findings.first { $0.rule == .fragmentMissing })
        #expect(missing.line == 10)
        #expect(missing.message.contains("Articles/fragments/none.md") && missing.message.contains("does not exist"))
        #expect(status.state == .inReview)
    }

    @Test func fragmentsThatIncludeEachOtherAreACycleNamed() throws {
        let content = try content(fragment: "First.\n\n<!-- include: other.md -->")
        try content.commit("Other", [.write("Articles/fragments/other.md", "Second.\n\n<!-- include: call-999.md -->\n")], on: "2026-04-08")
        try content.builder.checkoutHead()
        try approve(content, "pml", on: "2026-04-09")
        try approve(content, "call-999", on: "2026-04-09")
        try approve(content, "other", on: "2026-04-09")
        let status = try pml(content, asOf: "2026-04-10")
        let cycle = try #require(status.findings.first { $0.rule == .fragmentCycle })
        #expect(cycle.message.contains("Articles/fragments/call-999.md → Articles/fragments/other.md → Articles/fragments/call-999.md"))
        #expect(status.findings.filter { $0.rule == .fragmentCycle }.count == 1)
        #expect(status.state == .inReview)
    }

    @Test func aFragmentIsReviewedUnderTheStrictestCategoryOfItsIncluders() throws {
        let content = try content()
        // A general article (editorial only) includes it too; pml is neurology (medical and editorial).
        try content.commit("General", [.write("Articles/diet.md", ContentRepository.article("diet", category: .general, lastUpdated: "2026-04-08",
                                                                                         body: "<!-- include: fragments/call-999.md -->"))], on: "2026-04-08")
        try content.builder.checkoutHead()
        try content.signOff("call-999", as: "ed", role: "editorial", on: "2026-04-09")
        try content.signOff("diet", as: "ed", role: "editorial", on: "2026-04-09")
        // Editorial alone does not approve it: neurology, its strictest includer, needs medical too.
        let report = try content.status(asOf: "2026-04-10")
        let diet = try #require(report.articles.first { $0.slug == "diet" })
        #expect(diet.state == .inReview)
        #expect(diet.findings.first { $0.rule == .fragmentChanged }?.message.contains("medical role") == true)
        try content.signOff("call-999", as: "ann", role: "medical", on: "2026-04-10")
        #expect(try content.status(asOf: "2026-04-11").articles.first { $0.slug == "diet" }?.state == .approved)
    }

    @Test func publishRendersTheApprovedFragmentRevisionNotTheEditedOne() throws {
        let content = try content()
        try approve(content, "pml", on: "2026-04-09")
        // Never-approved fragment: the article is held back, whatever its own approvals.
        let held = try Publisher.publish(repository: content.repository, asOf: Day("2026-04-10")!, dryRun: true, author: author)
        #expect(held.plan.entries.isEmpty)
        #expect(held.plan.changes.contains(.heldBack(path: "Articles/pml.md", reason: "it includes the fragment Articles/fragments/call-999.md, which has no approved revision")))

        try approve(content, "call-999", on: "2026-04-10")
        let approvedBlob = try #require(try content.repository.entry(at: Self.fragment, inCommit: content.repository.headCommit())).id
        try content.commit("Edit the fragment", [.write(Self.fragment, "Unreviewed advice: wait and see.\n")], on: "2026-04-11")
        try content.builder.checkoutHead()
        let outcome = try Publisher.publish(repository: content.repository, asOf: Day("2026-04-12")!, dryRun: false, author: author)
        #expect(outcome.plan.entries.map(\.path) == ["Articles/pml.md"])
        let commit = try #require(try content.repository.referenceTarget(Publisher.reference))
        let tree = try content.repository.commit(commit).tree
        #expect(try content.repository.entry(at: Self.fragment, inTree: tree)?.id == approvedBlob)
        let page = String(decoding: try content.repository.blob(try #require(try content.repository.entry(at: "_site/pml.html", inTree: tree)).id), as: UTF8.self)
        #expect(page.contains("Call 999 if the face droops."))
        #expect(!page.contains("Unreviewed advice"))
        #expect(!page.contains("include:"))
        #expect(page.contains("Before.") && page.contains("After."))
        // verify finds the published fragment justified.
        let verify = try content.session().reading.verify(asOf: Day("2026-04-12")!)
        #expect(!verify.publicationFindings.contains { $0.path == Self.fragment })
    }

    /// History is not a line: a fragment edited on a branch that is merged after the article and
    /// fragment were approved on main leaves the article unapproved; approvals made on the branch
    /// for the old revision do not cover the new one.
    @Test func aFragmentEditedOnAMergedBranchIsCaught() throws {
        let content = try content()
        try approve(content, "pml", on: "2026-04-09")
        let base = try content.repository.headCommit()
        try approve(content, "call-999", on: "2026-04-10")
        #expect(try pml(content, asOf: "2026-04-10").state == .approved)
        // A side branch from before the fragment's approval edits it; main merges it.
        let side = try content.builder.commit("Edit on a branch", [.write(Self.fragment, "Call 999 or drive to A&E.\n")], on: "refs/heads/side",
                                              parents: [base], time: ContentRepository.time("2026-04-11"), author: "Writer")
        try content.builder.merge(side, [.write(Self.fragment, "Call 999 or drive to A&E.\n")], time: ContentRepository.time("2026-04-12"), author: "Writer")
        try content.builder.checkoutHead()
        let status = try pml(content, asOf: "2026-04-12")
        #expect(status.state == .inReview)
        #expect(status.findings.contains { $0.rule == .fragmentChanged && $0.message.contains("changed since its approval") })
        try approve(content, "call-999", on: "2026-04-13")
        #expect(try pml(content, asOf: "2026-04-13").state == .approved)
    }
}
