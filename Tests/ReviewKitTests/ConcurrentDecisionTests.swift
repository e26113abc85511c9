import Foundation
import GitKit
import Paths
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// Two decisions of one role made side by side on two branches are concurrent (issue 31,
/// item 1): a concurrent request for changes stands until a decision made on top of both,
/// whichever branch is merged into which.
@Suite struct ConcurrentDecisionTests {
    @Test func aConcurrentRequestForChangesStandsInBothMergeDirections() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        try Git.run(["branch", "side"], in: content.path)
        // On main the medical reviewer approves; on the branch, later, she asks for changes.
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        let mainTip = try content.repository.headCommit()
        #expect(try content.status(asOf: "2026-04-11").articles[0].state == .approved)
        try Git.run(["checkout", "-q", "side"], in: content.path)
        try content.signOff("pml", as: "ann", role: "medical", .requestChanges, on: "2026-04-10", comment: "Cite the trial")
        let sideTip = try content.repository.headCommit()

        // The branch merged into main, and main merged into the branch: changes requested both ways.
        try Git.run(["checkout", "-q", "main"], in: content.path)
        try Git.run(["merge", "-q", "--no-edit", "side"], in: content.path)
        #expect(try content.status(asOf: "2026-04-11").articles[0].state == .changesRequested)
        try Git.run(["checkout", "-q", "-b", "other", sideTip.hex], in: content.path)
        try Git.run(["merge", "-q", "--no-edit", mainTip.hex], in: content.path)
        #expect(try content.status(asOf: "2026-04-11").articles[0].state == .changesRequested)

        // A decision made on top of both settles it.
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-11")
        #expect(try content.status(asOf: "2026-04-12").articles[0].state == .approved)
    }

    /// Decisions one after another on one line keep their order: the later one decides.
    @Test func onALineTheLaterDecisionDecides() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        try content.signOff("pml", as: "ann", role: "medical", .requestChanges, on: "2026-04-09", comment: "Cite the trial")
        #expect(try content.status(asOf: "2026-04-11").articles[0].state == .changesRequested)
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-10")
        #expect(try content.status(asOf: "2026-04-11").articles[0].state == .approved)
    }

    /// Found attacking the first cut (issue 31): an approval, then a request for changes; a
    /// pusher then (1) commits a copy of the approval under its other valid name, (2) re-adds
    /// both files on a branch from before them and merges it (its commits sort first), or
    /// (3) rewrites history so the request comes first. The request still stands each time.
    @Test(arguments: ["replay", "side branch", "rewrite"])
    func copiesAndReorderingsNeverOutrankARequestForChanges(_ how: String) throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let base = try content.repository.headCommit()
        let editorial = try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        let approval = try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        let request = try content.signOff("pml", as: "ann", role: "medical", .requestChanges, on: "2026-04-10", comment: "Wrong dose")
        #expect(try content.status(asOf: "2026-04-11").articles[0].state == .changesRequested)
        switch how {
        case "replay":
            try content.commit("replay", [.write(approval.legacyPath(in: "pml"), approval.fileText)], on: "2026-04-11", author: "Mallory")
        case "side branch":
            let side = try content.builder.commit("side: request", [.write(request.canonicalPath, request.fileText)], parents: [base],
                                                  time: ContentRepository.time("2026-04-10"), author: "Mallory", moveBranch: false)
            let side2 = try content.builder.commit("side: approval", [.write(approval.canonicalPath, approval.fileText)], parents: [side],
                                                   time: ContentRepository.time("2026-04-10"), author: "Mallory", moveBranch: false)
            try content.builder.merge(side2, time: ContentRepository.time("2026-04-11"))
        default:
            // History rewritten from before the records: the request committed first, then the approval.
            let first = try content.builder.commit("records", [.write(editorial.canonicalPath, editorial.fileText), .write(request.canonicalPath, request.fileText)],
                                                   parents: [base], time: ContentRepository.time("2026-04-10"), author: "Mallory", moveBranch: false)
            let back = try content.builder.commit("approval", [.write(approval.canonicalPath, approval.fileText)], parents: [first],
                                                  time: ContentRepository.time("2026-04-11"), author: "Mallory", moveBranch: false)
            try content.repository.updateReference(RepoBuilder.main, to: back, expected: try content.repository.headCommit(), message: "force")
        }
        try content.builder.checkoutHead()
        #expect(try content.status(asOf: "2026-04-12").articles[0].state == .changesRequested, "\(how)")
    }

    @Test func ancestryFollowsMergesAndLines() {
        // 0 ← 1 ← 2, 0 ← 3, merge 4 of 2 and 3, 5 on 4.
        let parents: [[Int32]] = [[], [0], [1], [0], [2, 3], [4]]
        let ancestry = CommitAncestry(count: parents.count, parents: { parents[$0] })
        #expect(ancestry.isAncestor(0, of: 5) && ancestry.isAncestor(3, of: 5) && ancestry.isAncestor(1, of: 4))
        #expect(!ancestry.isAncestor(1, of: 3) && !ancestry.isAncestor(3, of: 2) && !ancestry.isAncestor(5, of: 4))
        #expect(ancestry.isAncestor(2, of: .max) && CommitAncestry.line.isAncestor(1, of: 2) && !CommitAncestry.line.isAncestor(2, of: 1))
    }
}
