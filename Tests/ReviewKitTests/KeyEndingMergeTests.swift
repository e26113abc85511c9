import Foundation
import GitKit
import Paths
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// A key ends where history says, on every path into the branch (issue 31, item 2): a record
/// made on a branch forked before the key ended, back-dated, and merged after, does not count.
@Suite struct KeyEndingMergeTests {
    /// Ann's approval of pml as it was at `fork`, signed and committed on a branch from there,
    /// dated 2026-04-07 (before the retirement the tests make on main).
    private func backDatedApproval(_ content: ContentRepository, on fork: ObjectID) throws -> (SignOff, ObjectID) {
        let entry = try #require(try content.repository.entry(at: "Articles/pml.md", inCommit: fork))
        var signOff = SignOff(article: "Articles/pml.md", blob: entry.id.hex, sha256: SignOff.sha256Hex(try content.repository.blob(entry.id)),
                              reviewer: "ann", role: "medical", decision: .approve, timestamp: ContentRepository.time("2026-04-07"), comment: "")
        try signOff.sign(with: try #require(content.key("ann")))
        let side = try content.builder.commit("Approve pml", [.write(signOff.canonicalPath, signOff.fileText)], parents: [fork],
                                              time: ContentRepository.time("2026-04-07"), author: "Ann", moveBranch: false)
        return (signOff, side)
    }

    @Test func aRecordMergedAfterItsKeyEndedIsKeyExpired() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .medical("mo"), .editorial("ed")])
        let fork = try content.repository.headCommit()
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-07")
        // Ann's key is retired on main.
        try content.commit("Retire ann", [.write(Reviewer.path, try content.reviewersFile(retiring: "ann", on: "2026-04-08"))], on: "2026-04-08")
        // On a branch forked before that, back-dated, her approval; then the branch is merged.
        let (signOff, side) = try backDatedApproval(content, on: fork)
        let merge = try content.builder.merge(side, [.write(signOff.canonicalPath, signOff.fileText)], time: ContentRepository.time("2026-04-09"))
        try content.builder.checkoutHead()

        let status = try #require(try content.status(asOf: "2026-04-10").articles.first)
        #expect(status.state != .approved)
        let finding = try #require(status.recordFindings.first { $0.rule == .keyExpired }, "\(status.recordFindings)")
        #expect(finding.message.contains("on a branch beside commit") && finding.message.contains("approve again with the current key"), "\(finding.message)")
        #expect(try content.repository.commit(merge).parents.count == 2)
        #expect(try content.session().reading.verify(asOf: Day("2026-04-10")!).findings.contains { $0.rule == .keyExpired })

        // Approved again with a key still valid, it is approved.
        try content.signOff("pml", as: "mo", role: "medical", on: "2026-04-10")
        #expect(try content.status(asOf: "2026-04-11").articles.first?.state == .approved)
    }

    /// Found attacking the first cut: the branch merges main in and main is fast-forwarded to it,
    /// so the record lies on the first-parent line; it is still key-expired.
    @Test func aBranchThatMergedMainAndWasFastForwardedIsKeyExpiredToo() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .medical("mo"), .editorial("ed")])
        let fork = try content.repository.headCommit()
        let retiredFile = try content.reviewersFile(retiring: "ann", on: "2026-04-08")
        try content.commit("Retire ann", [.write(Reviewer.path, retiredFile)], on: "2026-04-08")
        let retired = try content.repository.headCommit()
        let (_, side) = try backDatedApproval(content, on: fork)
        // The branch merges main (the branch first), and main moves to that merge.
        let merged = try content.builder.commit("Merge main into the branch", [.write(Reviewer.path, retiredFile)],
                                                parents: [side, retired], time: ContentRepository.time("2026-04-09"), moveBranch: false)
        try content.repository.updateReference(RepoBuilder.main, to: merged, expected: retired, message: "fast-forward")
        try content.builder.checkoutHead()
        let status = try #require(try content.status(asOf: "2026-04-10").articles.first)
        #expect(status.recordFindings.contains { $0.rule == .keyExpired }, "\(status.recordFindings)")
        #expect(status.approvals.allSatisfy { $0.reviewer != "ann" })
    }

    /// An honest record made on the main line before the key ended keeps counting.
    @Test func aRecordOnTheLineBeforeTheEndingStillCounts() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-07")
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-07")
        try content.commit("Retire ann", [.write(Reviewer.path, try content.reviewersFile(retiring: "ann", on: "2026-04-08"))], on: "2026-04-08")
        #expect(try content.status(asOf: "2026-04-10").articles.first?.state == .approved)
    }
}
