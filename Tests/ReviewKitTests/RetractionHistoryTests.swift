import Paths
import SystemCrypto
import Foundation
import GitKit
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// Issue 38: a retraction in a history with branches, merges and rewrites. It is a record like a
/// sign-off (the same log, order and rewrite rules), and it is lifted only by a full approval
/// made on top of it, of a revision that came after the one it retracted.
@Suite struct RetractionHistoryTests {
    static let reason = "Wrong dose in the table: 10 mg, not 100 mg."

    private func approve(_ content: ContentRepository, on day: String) throws {
        try content.signOff("pml", as: "ann", role: "medical", on: day)
        try content.signOff("pml", as: "ed", role: "editorial", on: day)
    }

    @discardableResult
    private func retract(_ content: ContentRepository, on day: String) throws -> SignOff {
        var request = SignOffRequest(article: "pml", reviewer: "ann", role: "medical", decision: .retract, comment: "",
                                     timestamp: ContentRepository.time(day))
        request.reason = Self.reason
        return try content.session().decisions.record([request], key: content.key("ann")!).0[0].signOff
    }

    private func publish(_ content: ContentRepository, on day: String, dryRun: Bool = false) throws -> Publisher.Outcome {
        try Publisher.publish(repository: content.repository, asOf: Day(day)!, dryRun: dryRun,
                              author: Signature(name: "Publisher", email: "pub@example.org", time: ContentRepository.time(day)))
    }

    private func status(_ content: ContentRepository, asOf day: String) throws -> ArticleStatus {
        try #require(try content.status(asOf: day).articles.first { $0.slug == "pml" })
    }

    private func head(_ content: ContentRepository) throws -> ObjectID { try content.repository.headCommit() }

    /// Commits a new text of pml on the checked-out branch (`ContentRepository.edit` commits on main).
    private func edit(_ content: ContentRepository, on branch: String, body: String, day: String) throws {
        try content.builder.commit("Edit pml", [.write("Articles/pml.md", ContentRepository.article("pml", category: .neurology, lastUpdated: day, body: body))],
                                   on: "refs/heads/\(branch)", time: ContentRepository.time(day), author: "Writer")
        try content.builder.checkoutHead()
    }

    /// A full approval of a corrected text, recorded on a branch while the medical reviewer
    /// retracts the published page on main: the approvers had not seen the retraction, so it
    /// stands after the merge, whichever branch is merged into which; a full approval made on
    /// top of the merge lifts it.
    @Test(arguments: ["branch into main", "main into branch"])
    func anApprovalBesideARetractionDoesNotLiftIt(_ direction: String) throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try approve(content, on: "2026-04-09")
        #expect(try publish(content, on: "2026-04-10").commit != nil)
        try Git.run(["branch", "side"], in: content.path)
        // On the branch: a corrected text, approved in both roles.
        try Git.run(["checkout", "-q", "side"], in: content.path)
        try edit(content, on: "side", body: "Corrected text.", day: "2026-04-11")
        try approve(content, on: "2026-04-11")
        let sideTip = try head(content)
        #expect(try status(content, asOf: "2026-04-11").state == .approved)
        // On main, later: the published text retracted.
        try Git.run(["checkout", "-q", "main"], in: content.path)
        try retract(content, on: "2026-04-12")
        let mainTip = try head(content)
        #expect(try status(content, asOf: "2026-04-12").retraction != nil)

        if direction == "branch into main" {
            try Git.run(["merge", "-q", "--no-edit", "side"], in: content.path)
        } else {
            try Git.run(["checkout", "-q", "-b", "other", sideTip.hex], in: content.path)
            try Git.run(["merge", "-q", "--no-edit", mainTip.hex], in: content.path)
            // main fast-forwarded to that merge (publish runs from main).
            try Git.run(["checkout", "-q", "main"], in: content.path)
            try Git.run(["merge", "-q", "--ff-only", "other"], in: content.path)
        }
        let merged = try status(content, asOf: "2026-04-13")
        #expect(merged.state == .approved, "the corrected text's approvals count for it")
        #expect(merged.retraction?.reason == Self.reason, "\(direction): an approval made beside the retraction lifted it")
        let plan = try publish(content, on: "2026-04-13", dryRun: true).plan
        #expect(plan.withdrawals.map(\.slug) == ["pml"] && plan.entries.isEmpty, "\(direction)")

        // One role re-approving on top of the merge is not enough; both are.
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-13")
        #expect(try status(content, asOf: "2026-04-13").retraction != nil)
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-13")
        #expect(try status(content, asOf: "2026-04-13").retraction == nil)
        #expect(try publish(content, on: "2026-04-13", dryRun: true).plan.withdrawals.isEmpty)
    }

    /// Approving, after the retraction, a revision older than the retracted one does not lift
    /// it (the page would come back with text nobody re-checked against the retraction's
    /// reason); approving a new revision does.
    @Test func onlyARevisionAfterTheRetractedOneLiftsIt() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try approve(content, on: "2026-04-09")
        let first = try #require(try content.repository.entry(at: "Articles/pml.md", inCommit: head(content)))
        try content.edit("pml", lastUpdated: "2026-04-10", body: "Second text: take 100 mg.")
        try approve(content, on: "2026-04-10")
        #expect(try publish(content, on: "2026-04-10").commit != nil)
        let retraction = try retract(content, on: "2026-04-11")
        #expect(retraction.blob != first.id.hex)

        // Both roles sign approvals of the first text after the retraction (a stale queue, a
        // script): counted approvals, but of a revision before the retracted one.
        let bytes = try content.repository.blob(first.id)
        for (who, role) in [("ann", "medical"), ("ed", "editorial")] {
            var old = SignOff(article: "Articles/pml.md", blob: first.id.hex, sha256: SignOff.sha256Hex(bytes), reviewer: who, role: role,
                              decision: .approve, timestamp: ContentRepository.time("2026-04-12"), comment: "old text")
            try old.sign(with: content.key(who)!)
            try content.commit("Approve the first text", [.write(old.canonicalPath, old.fileText)], on: "2026-04-12", author: who.capitalized)
        }
        let stale = try status(content, asOf: "2026-04-12")
        #expect(stale.approvals.filter { $0.revision == first.id.hex && $0.date == Day("2026-04-12") }.count == 2, "the old approvals count")
        #expect(stale.retraction?.revision == retraction.blob, "approving an older text lifted the retraction")
        // (Lifted, publish would have put the retracted text itself back: it is the current,
        // fully approved revision.)
        let plan = try publish(content, on: "2026-04-12", dryRun: true).plan
        #expect(plan.withdrawals.map(\.slug) == ["pml"] && plan.entries.isEmpty)

        // A corrected text, approved in both roles: the page is back, with it.
        try content.edit("pml", lastUpdated: "2026-04-13", body: "Corrected text: take 10 mg.")
        try approve(content, on: "2026-04-13")
        #expect(try status(content, asOf: "2026-04-13").retraction == nil)
        let back = try publish(content, on: "2026-04-13").plan
        #expect(back.entries.map(\.slug) == ["pml"] && back.withdrawals.isEmpty)
    }

    /// A retraction on a branch: main has none until the branch is merged; once merged it is in
    /// main's record log, and force-pushing the branch away afterwards takes nothing from main
    /// (as with a sign-off). A branch rewritten before it was merged never brought it anywhere.
    @Test func aRetractionOnABranchForcePushedAway() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try approve(content, on: "2026-04-09")
        let base = try head(content)
        try Git.run(["checkout", "-q", "-b", "side"], in: content.path)
        try retract(content, on: "2026-04-10")
        let retracted = try head(content)
        #expect(try status(content, asOf: "2026-04-10").retraction != nil)
        // Force-pushed away before any merge: gone from the branch, as a sign-off would be.
        try content.repository.updateReference("refs/heads/side", to: base, expected: retracted, message: "force-push")
        try content.builder.checkoutHead()
        #expect(try status(content, asOf: "2026-04-11").retraction == nil)
        try Git.run(["checkout", "-q", "main"], in: content.path)
        #expect(try status(content, asOf: "2026-04-11").retraction == nil)

        // Merged into main, then the branch force-pushed away: main keeps it.
        try Git.run(["merge", "-q", "--no-edit", retracted.hex], in: content.path)
        try content.repository.updateReference("refs/heads/side", to: base, expected: base, message: "force-push")
        #expect(try status(content, asOf: "2026-04-11").retraction?.reason == Self.reason)
        #expect(try publish(content, on: "2026-04-11", dryRun: true).plan.entries.isEmpty)
    }

    static let press = ContentRepository.governanceKey(8)
    static let pressRoot = ContentRepository.root(publishers: [TrustRoot.Key(id: "press", name: "Press", publicKey: Array(press.publicKey.rawRepresentation))])

    /// A retraction a signed publication attested, erased from main by a force-push: as with
    /// an erased request for changes, a blocking `history-rewritten` finding names the record,
    /// and publish refuses to bring the page back.
    @Test func aRetractionErasedByARewriteAfterASignedPublicationIsFound() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.governWith(Self.pressRoot, on: "2026-04-07")
        try approve(content, on: "2026-04-09")
        let pin = Self.pressRoot.fingerprint
        let signer = Publisher.Signer(id: "press", key: Self.press)
        #expect(try content.session(trustRoot: pin).publishing.publish(asOf: Day("2026-04-10")!, dryRun: false, now: ContentRepository.time("2026-04-10"),
                                                           signer: signer).commit != nil)
        let before = try head(content)
        let record = try retract(content, on: "2026-04-11")
        let withdrawn = try content.session(trustRoot: pin).publishing.publish(asOf: Day("2026-04-11")!, dryRun: false, now: ContentRepository.time("2026-04-11"),
                                                                   signer: signer)
        #expect(withdrawn.plan.withdrawals.map(\.slug) == ["pml"])

        try content.repository.updateReference(RepoBuilder.main, to: before, expected: try head(content), message: "force-push")
        try content.builder.checkoutHead()
        let session = try content.session(trustRoot: pin)
        let check = try session.reading.check(asOf: Day("2026-04-12")!)
        let rewritten = check.allFindings.filter { $0.rule == .historyRewritten }
        #expect(rewritten.contains { $0.path == record.canonicalPath && $0.severity == .error }, "\(rewritten)")
        #expect(throws: ReviewError.self) {
            try session.publishing.publish(asOf: Day("2026-04-12")!, dryRun: false, now: ContentRepository.time("2026-04-12"), signer: signer)
        }
    }
}
