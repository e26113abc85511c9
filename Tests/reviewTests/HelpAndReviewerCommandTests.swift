import Paths
import Foundation
import ReviewCore
import Testing
import TestSupport

/// Issue 19, item 6: help and errors a person expects, and reviewer changes as commands.
@Suite struct HelpAndReviewerCommandTests {
    @Test func mistypedCommandsGetADidYouMean() throws {
        let typo = try ReviewRun(["stauts"])
        #expect(typo.status == 2 && typo.stderr == "error: unknown command 'stauts'; did you mean 'review status'?\n")
        let help = try ReviewRun(["help", "nosuch"])
        #expect(help.status == 2 && help.stderr.contains("no command 'nosuch'"))
        #expect(try ReviewRun(["help", "status"]).status == 0)
        // Errors point to the command's own help; a bad date says how dates are written.
        let option = try ReviewRun(["check", "--frmat", "x"])
        #expect(option.status == 2 && option.stderr.hasSuffix("see 'review check --help'\n"), "\(option.stderr)")
        let date = try ReviewRun(["status", "--as-of", "2026-13-01"])
        #expect(date.status == 2 && date.stderr.contains("YYYY-MM-DD") && date.stderr.hasSuffix("see 'review status --help'\n"))
    }

    @Test func reviewersAreListedRetiredAndRotatedByCommand() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.builder.checkoutHead()
        let listed = try ReviewRun(["--repo", content.path, "reviewer", "list", "--as-of", "2026-05-01"])
        #expect(listed.status == 0 && listed.stdout.contains("ann  Ann, MD  [medical]  key 2020-01-01 to … (valid)"), "\(listed.stdout) \(listed.stderr)")
        let retired = try ReviewRun(["reviewer", "retire", "ann", "--on", "2026-06-30", "--repo", content.path])
        #expect(retired.status == 0, "\(retired.stderr)")
        let key = ContentRepository.governanceKey(5).publicKey.rawRepresentation.base64EncodedString()
        let rotated = try ReviewRun(["reviewer", "rotate-key", "ed", "--public-key", key, "--repo", content.path])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let reviewers = try ReviewersParser.parse(Array(try content.text(Reviewer.path).utf8), roles: nil)
        #expect(reviewers.first { $0.id == "ann" }?.validUntil == Day("2026-06-30"))
        #expect(reviewers.first { $0.id == "ed" }?.publicKey == Array(ContentRepository.governanceKey(5).publicKey.rawRepresentation))
        let missing = try ReviewRun(["reviewer", "retire", "nobody", "--on", "2026-06-30", "--repo", content.path])
        #expect(missing.status == 2 && missing.stderr.contains("no reviewer 'nobody'"))
    }

    @Test func keygenShowsAnExistingPublicKey() throws {
        let keys = TemporaryDirectory()
        let made = try ReviewRun(["keygen", "zoe"], environment: ["REVIEW_KEY_DIR": keys.path])
        let shown = try ReviewRun(["keygen", "--show", "zoe"], environment: ["REVIEW_KEY_DIR": keys.path])
        #expect(made.status == 0 && shown.status == 0 && shown.stdout == made.stdout)
    }
}
