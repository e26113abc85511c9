import Foundation
import GitKit
import Paths
import ReviewCore
import Testing
import TestSupport

/// `review baseline` end to end (issue 32): writes the file, check then passes; bad input
/// writes nothing and exits 2 with the file and line.
@Suite struct BaselineCommandTests {
    private func content() throws -> ContentRepository {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")], on: "2026-01-01")
        try content.edit("pml", lastUpdated: "2026-01-02", body: "A zero\u{200B}width space and ![](chart.png).")
        return content
    }

    @Test func baselineWritesTheFileAndCheckThenReportsNothingBeyondIt() throws {
        let content = try content()
        let before = try ReviewRun(["check", "--repo", content.path, "--as-of", "2026-02-01"])
        #expect(before.status == 1 && before.stdout.contains("[hidden-characters]") && before.stdout.contains("[image-without-alt]"))

        let run = try ReviewRun(["baseline", "--repo", content.path, "--as-of", "2026-02-01"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("Wrote Reviews/accepted-findings.yml: 3 findings in 1 article"), "\(run.stdout)")
        let file = content.path + "/" + AcceptedFindings.path.text
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("rule: broken-link") && text.contains("rule: hidden-characters") && text.contains("rule: image-without-alt"))

        try content.commit("accept", [.write(AcceptedFindings.path, text)], on: "2026-02-01")
        let after = try ReviewRun(["check", "--repo", content.path, "--as-of", "2026-02-01"])
        #expect(after.status == 0, "\(after.stdout)")
        #expect(after.stdout.contains("Not shown: 0 findings switched off by policy, 0 suppressed in articles, 3 in the baseline."))
        let json = try ReviewRun(["check", "--repo", content.path, "--as-of", "2026-02-01", "--format", "json"])
        #expect(json.stdout.contains("\"baseline\" : 3"))
    }

    @Test func aFixedRuleInThePolicyIsRefusedAndNothingIsWritten() throws {
        let content = try content()
        let policy = ContentRepository.policy + "rules:\n  missing-disclaimer: off\n"
        try content.commit("tune", [.write(Policy.path, policy)], on: "2026-01-03")
        let line = policy.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("missing-disclaimer") }! + 1
        let run = try ReviewRun(["baseline", "--repo", content.path, "--as-of", "2026-02-01"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("Reviews/policy.yml:\(line): error: 'missing-disclaimer' in the rules of the policy is not a content rule"), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: content.path + "/" + AcceptedFindings.path.text))
        #expect(run.stdout.isEmpty)
    }
}
