import Paths
import Foundation
import ReviewCore
import Testing
import TestSupport

/// `review retract` and `publish` as a reviewer and a publisher run them (issue 38).
@Suite struct RetractCommandTests {
    @Test func retractThenPublishTakesThePageDownAndExitsZero() throws {
        let site = try SignOffCommandTests.Site()
        try site.addReviewer("ann", role: "medical")
        try site.addReviewer("ed", role: "editorial")
        for (who, role) in [("ann", "medical"), ("ed", "editorial")] {
            let approve = try site.run(["approve", "pml", "--as", who, "--role", role, "--as-of", "2026-04-09", "--change-note", "First version."])
            #expect(approve.status == 0, "\(approve.stderr)")
        }
        let first = try site.run(["publish", "--as-of", "2026-04-10"])
        #expect(first.status == 0, "\(first.stderr)")

        // No reason: exit 2, one line, nothing written.
        let head = try site.content.repository.headCommit()
        let bare = try site.run(["retract", "pml", "--as", "ann", "--reason", " ", "--as-of", "2026-04-11"])
        #expect(bare.status == 2 && bare.stderr.split(separator: "\n").count == 1, "\(bare.stderr)")
        #expect(try site.content.repository.headCommit() == head)

        let retract = try site.run(["retract", "pml", "--as", "ann", "--reason", "Wrong dose.", "--as-of", "2026-04-11"])
        #expect(retract.status == 0, "\(retract.stderr)")
        #expect(retract.stdout.hasPrefix("Retracted Articles/pml.md (revision "), "\(retract.stdout)")
        #expect(try site.run(["verify", "--as-of", "2026-04-11"]).status == 0)
        let status = try site.run(["status", "--as-of", "2026-04-11", "--format", "json"])
        #expect(status.stdout.contains("\"reason\" : \"Wrong dose.\""), "\(status.stdout)")

        // Its only page withdrawn: publish did its work, so it exits 0 (a deploy gated on it ships the notice).
        let down = try site.run(["publish", "--list", "--as-of", "2026-04-11"])
        #expect(down.status == 0, "\(down.stdout) \(down.stderr)")
        #expect(down.stdout.contains("withdraw Articles/pml.md: retracted on 2026-04-11 by Ann (medical): Wrong dose."), "\(down.stdout)")
        #expect(down.stdout.contains("0 articles to publish: 0 added, 0 updated, 0 unchanged, 0 taken down; 0 held back; 1 withdrawn by retraction"), "\(down.stdout)")
    }
}
