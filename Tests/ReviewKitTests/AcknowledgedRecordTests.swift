import Foundation
import GitKit
import Paths
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// A junk record does not hold an article hostage forever (issue 31, item 5): the configuration
/// can acknowledge it by path and SHA-256; it still never counts, and no longer blocks.
@Suite struct AcknowledgedRecordTests {
    static let junk: GitPath = "Reviews/signoffs/pml/20260410T120000Z-mallory-medical.yml"
    static let junkText = "article: [this is not a record\n"

    private func hostage() throws -> ContentRepository {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        try content.commit("junk", [.write(Self.junk, Self.junkText)], on: "2026-04-10", author: "Mallory")
        return content
    }

    private func acknowledgement() -> FileChange {
        .write(AcknowledgedRecords.path, "# a pusher's junk, cleared by the editors\n\(SignOff.sha256Hex(Array(Self.junkText.utf8))) \(Self.junk.text)\n")
    }

    @Test func anAcknowledgedJunkRecordStaysListedButNoLongerBlocks() throws {
        let content = try hostage()
        let day = Day("2026-04-11")!, now = ContentRepository.time("2026-04-11")
        var status = try #require(try content.status(asOf: "2026-04-11").articles.first)
        #expect(status.findings.contains { $0.rule == .unreadableRecord && $0.severity == .error })
        #expect(try content.session().publishing.publish(asOf: day, dryRun: true, now: now).plan.entries.isEmpty)

        try content.commit("acknowledge", [acknowledgement()], on: "2026-04-11")
        status = try #require(try content.status(asOf: "2026-04-12").articles.first)
        let finding = try #require(status.findings.first { $0.rule == .unreadableRecord })
        #expect(finding.severity == .warning && finding.message.contains("acknowledged"), "\(finding)")
        #expect(status.state == .approved)
        #expect(!status.findings.contains { $0.severity == .error }, "\(status.findings)")
        #expect(try content.session().publishing.publish(asOf: Day("2026-04-12")!, dryRun: true, now: ContentRepository.time("2026-04-12")).plan.entries.count == 1)
        let verify = try content.session().reading.verify(asOf: Day("2026-04-12")!)
        #expect(verify.findings.contains { $0.path == Self.junk } && !verify.failed)
        // Deleting the junk afterwards is a deleted record, acknowledged too (its first bytes).
        try content.commit("delete junk", [.remove(Self.junk)], on: "2026-04-12")
        let after = try #require(try content.status(asOf: "2026-04-13").articles.first)
        #expect(!after.findings.contains { $0.severity == .error }, "\(after.findings)")
    }

    /// Other bytes at the acknowledged path are not acknowledged.
    @Test func anAcknowledgementNamesTheBytes() throws {
        let content = try hostage()
        try content.commit("acknowledge another", [.write(AcknowledgedRecords.path, "\(String(repeating: "0", count: 64)) \(Self.junk.text)\n")],
                           on: "2026-04-11")
        let status = try #require(try content.status(asOf: "2026-04-12").articles.first)
        #expect(status.findings.contains { $0.rule == .unreadableRecord && $0.severity == .error })
    }

    /// Where a root governs, the acknowledgement is a configuration change: unsigned, it does nothing.
    @Test func underGovernanceOnlyASignedAcknowledgementCounts() throws {
        let content = try hostage()
        try content.governWith(on: "2026-04-10")
        try content.commit("acknowledge", [acknowledgement()], on: "2026-04-11")
        var status = try #require(try content.status(asOf: "2026-04-12").articles.first)
        #expect(status.findings.contains { $0.rule == .unreadableRecord && $0.severity == .error })
        try content.sign(as: 1, on: "2026-04-11")
        try content.sign(as: 2, on: "2026-04-11")
        status = try #require(try content.status(asOf: "2026-04-12").articles.first)
        #expect(!status.findings.contains { $0.rule == .unreadableRecord && $0.severity == .error }, "\(status.findings)")
    }

    @Test func aMalformedAcknowledgementIsRefusedWithItsLine() throws {
        #expect(throws: ReviewError.self) { try AcknowledgedRecords.parse(Array("\nnot a line\n".utf8)) }
        #expect(throws: ReviewError.self) { try AcknowledgedRecords.parse(Array("\(String(repeating: "a", count: 64)) Articles/pml.md\n".utf8)) }
        #expect(try AcknowledgedRecords.parse(Array("# none\n\n".utf8)).isEmpty)
    }
}
