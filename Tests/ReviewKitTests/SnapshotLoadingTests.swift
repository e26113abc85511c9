import Paths
import Foundation
import GitKit
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// The loader and the workflow together, on real repositories with real signed records.
@Suite struct SnapshotLoadingTests {
    private func state(_ content: ContentRepository, _ slug: String, asOf: String = "2026-11-25") throws -> ArticleStatus {
        try #require(try content.status(asOf: asOf).articles.first { $0.slug == slug })
    }

    @Test func approvalsByEveryRoleApproveTheExactRevision() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        #expect(try state(content, "pml").state == .draft)
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        #expect(try state(content, "pml").state == .inReview)
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-10")
        let approved = try state(content, "pml")
        #expect(approved.state == .approved)
        #expect(approved.lastReviewed == Day("2026-04-09"))  // the stalest role's review
        #expect(approved.findings.isEmpty)
        #expect(try Git.run(["status", "--porcelain"], in: content.path) == "")
        try Git.run(["fsck", "--strict"], in: content.path)

        // An edit voids the approvals; a tags-only edit does not.
        try content.edit("pml", lastUpdated: "2026-04-07", on: "2026-04-11", body: "Text.", tags: "[a, b]")
        #expect(try state(content, "pml").state == .approved)
        try content.edit("pml", lastUpdated: "2026-05-01")
        let edited = try state(content, "pml")
        #expect(edited.state == .inReview)
        #expect(edited.approvals.allSatisfy { !$0.current })
        #expect(edited.lastReviewed == Day("2026-04-09"))
    }

    @Test func refusedSignOffsWriteNothing() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed"), .medical("old", validUntil: "2025-12-31")])
        let head = try content.repository.headCommit()
        #expect(throws: ReviewError.self) { try content.signOff("pml", as: "ed", role: "medical", on: "2026-04-09") }    // role not held
        #expect(throws: ReviewError.self) { try content.signOff("pml", as: "old", role: "medical", on: "2026-04-09") }   // key expired
        #expect(throws: ReviewError.self) { try content.signOff("nope", as: "ann", role: "medical", on: "2026-04-09") }  // unknown article
        #expect(throws: ReviewError.self) { try content.signOff("pml", as: "ann", role: "surgeon", on: "2026-04-09") }   // unknown role
        #expect(throws: ReviewError.self) { try content.signOff("pml", as: "ann", role: "medical", .requestChanges, on: "2026-04-09", comment: " ") }
        #expect(try content.repository.headCommit() == head)
    }

    @Test func aReviewerCannotApproveTheirOwnEdit() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.edit("pml", lastUpdated: "2026-05-01", author: "Ann")  // RepoBuilder mails "ann@example.org"
        #expect {
            try content.signOff("pml", as: "ann", role: "medical", on: "2026-05-02")
        } throws: { error in
            (error as? ReviewError)?.description.contains("self-approval") == true
        }
    }

    @Test func aHandEditedRecordIsAFindingAndCountsAsCommitted() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let record = try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        let forged = record.fileText.replacingOccurrences(of: "decision: approve", with: "decision: request-changes")
        try content.builder.commit("tamper", [.write(record.canonicalPath, forged)])
        let status = try state(content, "pml")
        // The edit is a blocking finding; the approval still counts as it was committed.
        #expect(status.findings.contains { $0.rule == .recordTampered && $0.path == record.canonicalPath && $0.message.contains("edited") })
        #expect(status.state == .inReview)
        #expect(status.approvals.map(\.reviewer) == ["ann"])
    }

    @Test func aRecordCopiedToAnotherArticleDoesNotCountThere() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "ms": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let record = try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        let copy = GitPath(record.canonicalPath.text.replacingOccurrences(of: "/pml/", with: "/ms/"))
        try content.builder.commit("copy", [.write(copy, record.fileText)])
        let report = try content.status(asOf: "2026-11-25")
        let ms = try #require(report.articles.first { $0.slug == "ms" })
        #expect(ms.approvals.isEmpty)
        #expect(ms.findings.contains { $0.rule == .badSignature && $0.path == copy })
        let pml = try #require(report.articles.first { $0.slug == "pml" })
        #expect(pml.approvals.count == 1)
    }

    @Test func aBrokenPolicyIsAConfigurationError() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann")])
        try content.builder.commit("break", [.write(Policy.path, "roles: [medical\n")])
        #expect {
            try content.status(asOf: "2026-11-25")
        } throws: { error in
            guard let error = error as? ReviewError else { return false }
            return error.file == Policy.path.text && error.line != nil
        }
    }
}
