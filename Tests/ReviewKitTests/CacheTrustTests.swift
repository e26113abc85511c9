import Foundation
@testable import GitKit
import Paths
import ReviewCore
@testable import ReviewKit
import Testing
import TestSupport

/// Caches never decide (issue 31, item 4): a records cache written by someone else, with the
/// user's own cache key (another job on a shared runner), cannot make a bad signature count.
@Suite struct CacheTrustTests {
    @Test func aForgedRecordsCacheCannotMakeAJunkSignatureCount() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        // A record whose signature is junk, committed by a pusher.
        let entry = try #require(try content.repository.entry(at: "Articles/pml.md", inCommit: content.repository.headCommit()))
        var forged = SignOff(article: "Articles/pml.md", blob: entry.id.hex, sha256: SignOff.sha256Hex(try content.repository.blob(entry.id)),
                             reviewer: "ann", role: "medical", decision: .approve, timestamp: ContentRepository.time("2026-04-09"), comment: "")
        forged.signature = [UInt8](repeating: 7, count: 64)
        try content.commit("Forged approval", [.write(forged.canonicalPath, forged.fileText)], on: "2026-04-09", author: "Mallory")
        #expect(try content.status(asOf: "2026-04-10").articles[0].state != .approved)

        // The cache is filled with the forged record's parse (what a forger would write, with a
        // valid authentication tag: the cache key is the user's).
        let head = try content.repository.headCommit()
        let blob = try #require(try content.repository.entry(at: forged.canonicalPath, inCommit: head)).id
        var cache = RecordCache.load(content.repository)
        cache.insert(RecordCodec.Entry(signOff: forged), for: blob)
        cache.save(content.repository)
        #expect(RecordCache.load(content.repository)[blob] != nil)

        let report = try content.status(asOf: "2026-04-10")
        #expect(report.articles[0].state != .approved)
        #expect(report.articles[0].recordFindings.contains { $0.rule == .badSignature }, "\(report.articles[0].recordFindings)")
        #expect(try content.session().reading.verify(asOf: Day("2026-04-10")!).findings.contains { $0.rule == .badSignature })
    }

    /// Found attacking the first cut: the history index (a cache under the git directory, written
    /// with the user's key) rewritten so the commit of a request for changes seems to change the
    /// approval's file instead. The record at HEAD that the history does not show now fails closed.
    @Test func aForgedHistoryIndexCannotHideARecord() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        let approval = try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        let request = try content.signOff("pml", as: "ann", role: "medical", .requestChanges, on: "2026-04-10", comment: "Wrong dose")
        #expect(try content.status(asOf: "2026-04-11").articles[0].state == .changesRequested)

        let repository = content.repository
        let file = HistoryCacheFile.path(in: repository, directory: HistoryEngine.indexDirectory)
        var index = try #require(HistoryCacheFile.load(from: file, directory: HistoryEngine.indexDirectory, shallow: repository.shallowBoundary()))
        let requestNumber = try #require(index.paths.values.firstIndex(of: request.canonicalPath))
        let approvalNumber = try #require(index.paths.values.firstIndex(of: approval.canonicalPath))
        var patched = 0
        index.changes.modifyEach { change in
            guard change.path == Int32(requestNumber) else { return }
            change.path = Int32(approvalNumber)
            patched += 1
        }
        #expect(patched > 0)
        HistoryCacheFile.save(index, to: file)

        let status = try content.status(asOf: "2026-04-11").articles[0]
        #expect(status.findings.contains { $0.rule == .historyMissing && $0.path == request.canonicalPath }, "\(status.findings)")
        #expect(try content.session().publishing.publish(asOf: Day("2026-04-11")!, dryRun: true, now: ContentRepository.time("2026-04-11")).plan.entries.isEmpty)
    }
}
