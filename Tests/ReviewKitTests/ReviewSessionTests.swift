import Paths
import Dispatch
import Foundation
import Synchronization
import GitKit
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// The façade decides each fact in one place: what `approve` accepts, `status` counts, and
/// what `status` would reject, `approve` refuses.
@Suite struct ReviewSessionTests {
    /// A first approval by a reviewer who wrote an earlier (not the last) revision: `approve`
    /// once judged it with the last change only and committed it, and `status` then called it
    /// a self-approval.
    /// The committer is an author too (issue 31, item 11): an edit Ann committed under the
    /// writer's name is hers to not approve.
    @Test func aReviewerWhoCommittedAnEditCannotApproveIt() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.builder.commit("Edit pml", [.write("Articles/pml.md", ContentRepository.article("pml", category: .neurology, lastUpdated: "2026-04-08", body: "Ann's edit."))],
                                   time: ContentRepository.time("2026-04-08"), author: "Writer", committer: "Ann")
        try content.builder.checkoutHead()
        let tip = try content.repository.headCommit()
        #expect {
            try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-10")
        } throws: { error in (error as? ReviewError)?.description.contains("self-approval") == true }
        #expect(try content.repository.headCommit() == tip)
    }

    /// git reads a commit's first `author` header; a second one appended cannot put another
    /// name on the edit (issue 31, item 11).
    @Test func aSecondAuthorHeaderDoesNotHideTheFirst() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let head = try content.repository.headCommit()
        let tree = try content.repository.buildTree(base: content.repository.commit(head).tree, changes: [
            .write("Articles/pml.md", ContentRepository.article("pml", category: .neurology, lastUpdated: "2026-04-08", body: "Ann's edit.")),
        ])
        let time = ContentRepository.time("2026-04-08")
        let raw = "tree \(tree.hex)\nparent \(head.hex)\nauthor Ann <ann@example.org> \(time) +0000\nauthor Writer <writer@example.org> \(time) +0000\n"
            + "committer Writer <writer@example.org> \(time) +0000\n\nEdit pml\n"
        let file = content.path + "/../raw-commit"
        try Data(raw.utf8).write(to: URL(fileURLWithPath: file))
        let id = try Git.run(["hash-object", "-t", "commit", "-w", "--literally", file], in: content.path).trimmingCharacters(in: .whitespacesAndNewlines)
        try Git.run(["update-ref", "refs/heads/main", id], in: content.path)
        try content.builder.checkoutHead()
        try content.writeRecord("pml", as: "ann", role: "medical", on: "2026-04-10")
        let status = try #require(try content.status(asOf: "2026-04-11").articles.first)
        #expect(status.lastChangedBy == "Ann", "\(String(describing: status.lastChangedBy))")
        #expect(status.findings.contains { $0.rule == .selfApproval }, "\(status.findings)")
        // Read without the history index (through libgit2): the same answer, or a refusal.
        do {
            let uncached = try #require(try content.session(usesCaches: false).reading.status(asOf: Day("2026-04-11")!).articles.first)
            #expect(uncached.findings.contains { $0.rule == .selfApproval }, "\(uncached.findings)")
        } catch let error as ReviewError {
            #expect(error.description.contains("corrupt") || error.description.contains(id.prefix(7)), "\(error)")
        }
    }

    @Test func approveRefusesAFirstApprovalThatStatusWouldCallSelfApproval() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.edit("pml", lastUpdated: "2026-04-08", body: "Ann's draft.\n\n" + ContentRepository.disclaimer, author: "Ann")
        try content.edit("pml", lastUpdated: "2026-04-09", body: "The writer's copy edit.\n\n" + ContentRepository.disclaimer, author: "Writer")
        let tip = try content.repository.headCommit()
        #expect(throws: ReviewError.self) { try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-10") }
        #expect(try content.repository.headCommit() == tip)
        // The same record written by hand is what status rejects.
        try content.writeRecord("pml", as: "ann", role: "medical", on: "2026-04-10")
        let status = try #require(try content.status(asOf: "2026-04-11").articles.first)
        #expect(status.findings.contains { $0.rule == .selfApproval })
        #expect(status.approvals.isEmpty)
    }

    /// Roles that approved revisions differing only in an unreviewed field: the article is
    /// approved, so it has a last-reviewed date and publishes (it was once "approved" yet
    /// "last reviewed never", and publish held it "(approved)").
    @Test func anArticleApprovedAcrossUnreviewedFieldsHasALastReviewedDateAndPublishes() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-08")
        try content.edit("pml", lastUpdated: "2026-04-07", on: "2026-04-09", body: "Text.", tags: "[b]")
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-10")
        let status = try #require(try content.status(asOf: "2026-04-11").articles.first)
        #expect(status.state == .approved)
        // Each role's review is as old as its own approval: editorial's, 04-08, is the stalest.
        #expect(status.lastReviewed == Day("2026-04-08"))
        #expect(status.nextReviewDue == Day("2027-04-08"))
        let outcome = try content.session().publishing.publish(asOf: Day("2026-04-11")!, dryRun: true, now: ContentRepository.time("2026-04-11"))
        #expect(outcome.plan.entries.map(\.path) == ["Articles/pml.md"])
    }

    /// Random histories of edits (by writers and by reviewers) and decisions: every record
    /// `approve` commits counts in `status` and `verify`; every record it refuses, written by
    /// hand, gets a finding from them.
    @Test(arguments: 0..<24) func approveAndStatusAgreeOnRandomHistories(seed: UInt64) throws {
        var rng = SplitMix(seed: seed &+ 1000)
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let reviewers = [("ann", "medical"), ("ed", "editorial"), ("ann", "editorial")]
        let authors = ["Writer", "Ann", "Ed"]
        var accepted = 0, refused = 0
        for step in 0..<14 {
            let day = Day("2026-04-08")!.adding(days: step).description
            // A few edits first, so first approvals meet histories with several authors.
            if step < 3 || rng.next(in: 0..<3) == 0 {
                try content.edit("pml", lastUpdated: day, body: "Version \(rng.next(in: 0..<3)).\n\n" + ContentRepository.disclaimer,
                                 tags: rng.next(in: 0..<2) == 0 ? "[a]" : "[b]", author: authors[rng.next(in: 0..<authors.count)])
                continue
            }
            let (reviewer, role) = reviewers[rng.next(in: 0..<reviewers.count)]
            let decision: SignOff.Decision = rng.next(in: 0..<4) == 0 ? .requestChanges : .approve
            let before = try content.repository.headCommit()
            do {
                let record = try content.signOff("pml", as: reviewer, role: role, decision, on: day)
                accepted += 1
                let session = try content.session(usesCaches: false)
                let verify = try session.reading.verify(asOf: Day(day)!)
                #expect(!verify.findings.contains { $0.path == record.canonicalPath }, "seed \(seed) step \(step): approve accepted what verify rejects")
                let status = try #require(try session.reading.status(asOf: Day(day)!).articles.first)
                #expect(!status.findings.contains { $0.path == record.canonicalPath }, "seed \(seed) step \(step)")
                if decision == .approve {
                    #expect(status.approvals.contains { $0.reviewer == reviewer && $0.role == role && $0.date == Day(day)! && $0.current })
                }
            } catch is ReviewError {
                refused += 1
                #expect(try content.repository.headCommit() == before)
                // The same record, committed without approve's checks, must not count.
                let record = try content.writeRecord("pml", as: reviewer, role: role, decision, on: day, comment: "c")
                let verify = try content.session(usesCaches: false).reading.verify(asOf: Day(day)!)
                #expect(verify.findings.contains { $0.path == record.canonicalPath }, "seed \(seed) step \(step): approve refused what verify counts")
                // Take it back out of history (not a deletion commit: the branch moves back).
                try content.repository.updateReference(RepoBuilder.main, to: before, expected: content.repository.headCommit(), message: "undo")
            }
        }
        #expect(accepted + refused > 0)
    }
}

/// Caches are an option of the session, and sessions on several threads of one process may
/// read and write them at once: every write has its own temporary file.
@Suite struct SessionCacheTests {
    @Test func sessionsOnSeveralThreadsAgreeWithAnUncachedOne() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "flu": .general, "mumps": .general],
                                            reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.edit("flu", category: .general, lastUpdated: "2026-04-10")
        let cacheDirectory = content.repository.gitDirectory + "review"
        func caches() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: cacheDirectory).filter { $0.hasSuffix(".cache") } }
        ReviewSession.finishCacheWrites()
        for name in try caches() { try FileManager.default.removeItem(atPath: cacheDirectory + "/" + name) }
        let expected = StatusJSONReporter.render(try content.session(usesCaches: false).reading.status(asOf: Day("2026-11-25")!))
        #expect(try caches().isEmpty, "the uncached session wrote a cache")

        let path = content.path
        let results = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let text = (try? ReviewSession.open(path).reading.status(asOf: Day("2026-11-25")!)).map(StatusJSONReporter.render) ?? "failed"
            results.withLock { $0.append(text) }
        }
        #expect(results.withLock { $0 } == Array(repeating: expected, count: 8))
        ReviewSession.finishCacheWrites()
        let left = try FileManager.default.contentsOfDirectory(atPath: cacheDirectory)
        #expect(left.allSatisfy { !$0.contains(".tmp-") }, "temporary files left: \(left)")
        #expect(try caches().contains("articles.cache"))
        // And the caches they wrote give the same answer.
        #expect(StatusJSONReporter.render(try content.session().reading.status(asOf: Day("2026-11-25")!)) == expected)
    }
}
