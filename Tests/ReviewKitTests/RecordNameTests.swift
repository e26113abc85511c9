import Foundation
import GitKit
import Paths
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// Record file names carry the decision's digest (issue 39): two different decisions never
/// collide on a name, the same decision is still refused twice, and the old names still count.
@Suite struct RecordNameTests {
    private func fresh() throws -> ContentRepository {
        try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
    }

    /// An approval, an edit, and an approval of the new revision, all signed in one second.
    @Test func twoApprovalsInOneSecondAreBothRecorded() throws {
        let content = try fresh()
        let first = try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.edit("pml", lastUpdated: "2026-04-09", on: "2026-04-09", body: "A corrected dose.")
        let second = try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        #expect(first.timestamp == second.timestamp && first.blob != second.blob)
        #expect(first.canonicalPath != second.canonicalPath)
        let status = try #require(try content.status(asOf: "2026-04-10").articles.first)
        #expect(status.approvals.contains { $0.role == "medical" && $0.revision == second.blob }, "\(status.approvals)")
        #expect(status.findings.filter { $0.severity == .error }.isEmpty, "\(status.findings)")
    }

    /// With `--as-of`, every decision of a day is stamped at noon: an approval and a later
    /// request for changes on the same day are two records.
    @Test func twoDecisionsOnOneAsOfDayAreBothRecorded() throws {
        let content = try fresh()
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ann", role: "medical", .requestChanges, on: "2026-04-09", comment: "On second thought: cite the trial")
        let files = try content.repository.files(under: "Reviews/signoffs/pml", inTree: content.repository.commit(content.repository.headCommit()).tree)
        #expect(files.count == 2)
        #expect(files.allSatisfy { $0.path.text.hasPrefix("Reviews/signoffs/pml/20260409T120000Z-ann-medical-") })
    }

    @Test func theSameSignedDecisionIsStillRefusedAsAlreadyRecorded() throws {
        let content = try fresh()
        let signed = try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        let head = try content.repository.headCommit()
        #expect {
            try content.session().decisions.record(signed: signed, now: signed.timestamp)
        } throws: { error in
            (error as? ReviewError)?.description.contains("already recorded") == true
        }
        #expect(try content.repository.headCommit() == head)
    }

    /// A record filed under the name records had before (no digest) still counts, and one
    /// under a wrong digest does not.
    @Test func recordsNamedTheOldWayStillCount() throws {
        let content = try fresh()
        for (reviewer, role) in [("ann", "medical"), ("ed", "editorial")] {
            var signOff = try signed(content, reviewer: reviewer, role: role)
            try signOff.sign(with: try #require(content.key(reviewer)))
            try content.commit("Record the old way", [.write(signOff.legacyPath(in: "pml"), signOff.fileText)], on: "2026-04-09", author: reviewer.capitalized)
        }
        let status = try #require(try content.status(asOf: "2026-04-10").articles.first)
        #expect(status.state == .approved, "\(status.findings)")

        let other = try fresh()
        var signOff = try signed(other, reviewer: "ann", role: "medical")
        try signOff.sign(with: try #require(other.key("ann")))
        let wrong = GitPath(signOff.legacyPath(in: "pml").text.replacingOccurrences(of: ".yml", with: "-00000000.yml"))
        try other.commit("Record under a wrong digest", [.write(wrong, signOff.fileText)], on: "2026-04-09", author: "Ann")
        let refused = try #require(try other.status(asOf: "2026-04-10").articles.first)
        #expect(refused.recordFindings.contains { $0.rule == .badSignature && $0.message.contains("belongs at") }, "\(refused.recordFindings)")
    }

    private func signed(_ content: ContentRepository, reviewer: String, role: String) throws -> SignOff {
        let entry = try #require(try content.repository.entry(at: "Articles/pml.md", inCommit: content.repository.headCommit()))
        let bytes = try content.repository.blob(entry.id)
        return SignOff(article: "Articles/pml.md", blob: entry.id.hex, sha256: SignOff.sha256Hex(bytes), reviewer: reviewer, role: role,
                       decision: .approve, timestamp: ContentRepository.time("2026-04-09"), comment: "")
    }
}
