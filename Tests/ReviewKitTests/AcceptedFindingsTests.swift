import Foundation
import GitKit
import Paths
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// `review baseline` and `Reviews/accepted-findings.yml` on real repositories (issue 32).
@Suite struct AcceptedFindingsTests {
    static let sentence = "The virus spreads between people who share a home for many weeks."
    /// Two content defects: a hidden character and a repeated sentence.
    static let damaged = "A zero\u{200B}width space.\n\n\(sentence)\n\nAnd again. \(sentence)"

    private func repository() throws -> ContentRepository {
        let content = try ContentRepository(articles: ["pml": .neurology, "flu": .general], reviewers: [.medical("ann"), .editorial("ed")])
        try content.edit("pml", lastUpdated: "2026-04-08", body: Self.damaged)
        return content
    }

    private func contentFindings(_ report: StatusReport) -> [Finding] {
        report.articles.flatMap(\.findings).filter(\.rule.isContent)
    }

    /// Commits the baseline `review baseline` wrote into the work tree.
    private func commitBaseline(_ content: ContentRepository, on day: String) throws -> String {
        let (_, file) = try content.session().authoring.writeBaseline(asOf: Day(day)!)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try content.commit("Accept the findings there are", [.write(AcceptedFindings.path, text)], on: day)
        try content.builder.checkoutHead()
        return text
    }

    /// Write the baseline, check again: nothing beyond it. Add a defect and move the old ones
    /// down the page: only the new one is reported.
    @Test func theBaselineRoundTrips() throws {
        let content = try repository()
        let before = try content.status(asOf: "2026-04-09")
        #expect(Set(contentFindings(before).map(\.rule)) == [.hiddenCharacters, .repeatedText])

        let text = try commitBaseline(content, on: "2026-04-09")
        #expect(text.contains("rule: hidden-characters") && text.contains("path: \"Articles/pml.md\""))
        // Deterministic: the same findings write the same bytes.
        #expect(try String(contentsOfFile: try content.session().authoring.writeBaseline(asOf: Day("2026-04-10")!).path, encoding: .utf8) == text)

        let after = try content.status(asOf: "2026-04-10")
        #expect(contentFindings(after).isEmpty, "\(contentFindings(after))")
        #expect(after.suppressed == SuppressedCounts(baseline: 2))
        #expect(after.articles.first { $0.slug == "pml" }?.suppressed.inBaseline.count == 2)

        try content.edit("pml", lastUpdated: "2026-04-11", body: "A new opening.\n\nAnd a second paragraph.\n\n" + Self.damaged + "\n\nA new\u{200B} defect.")
        let edited = try content.status(asOf: "2026-04-11")
        let beyond = contentFindings(edited)
        #expect(beyond.map(\.rule) == [.hiddenCharacters] && beyond.map(\.line) == [18], "\(beyond)")
        #expect(edited.suppressed.baseline == 2)
        // check agrees, and says what it did not show.
        let check = try content.session().reading.check(asOf: Day("2026-04-11")!)
        #expect(TextReporter.render(check).contains("Not shown: 0 findings switched off by policy, 0 suppressed in articles, 2 in the baseline."))
    }

    /// A baseline that does not read stops the run, naming the file and line.
    @Test func aBrokenBaselineStopsTheRun() throws {
        let content = try repository()
        try content.commit("hand edit", [.write(AcceptedFindings.path, "accepted:\n  - rule: missing-disclaimer\n    path: a.md\n    message: m\n    count: 1\n")],
                           on: "2026-04-09")
        #expect {
            try content.status(asOf: "2026-04-10")
        } throws: { error in
            guard let error = error as? ReviewError else { return false }
            return error.file == AcceptedFindings.path.text && error.line == 2 && error.problem.contains("is not a content rule")
        }
    }

    /// Where a root governs, the baseline is signed configuration: committed unsigned it has no
    /// effect (the version in force stays) and is reported as an unsigned change.
    @Test func aGovernedRepositoryIgnoresAnUnsignedBaselineChange() throws {
        let content = try repository()
        try content.governWith(on: "2026-04-09")
        _ = try commitBaseline(content, on: "2026-04-10")

        // Unsigned: the findings are still reported, and the change is named.
        var report = try content.status(asOf: "2026-04-10")
        #expect(Set(contentFindings(report).map(\.rule)) == [.hiddenCharacters, .repeatedText])
        #expect(report.suppressed.baseline == 0)
        #expect(report.otherFindings.contains { $0.rule == .unsignedConfiguration && $0.path == AcceptedFindings.path }, "\(report.otherFindings)")

        // Signed by the threshold: in force.
        try content.sign(as: 1, on: "2026-04-10")
        try content.sign(as: 2, on: "2026-04-10")
        report = try content.status(asOf: "2026-04-11")
        #expect(contentFindings(report).isEmpty && report.suppressed.baseline == 2)
        #expect(!report.otherFindings.contains { $0.rule == .unsignedConfiguration })

        // A new defect, accepted by an unsigned baseline: still reported; the signed baseline stays.
        try content.edit("pml", lastUpdated: "2026-04-12", body: Self.damaged + "\n\nA new\u{200B} defect.")
        _ = try commitBaseline(content, on: "2026-04-12")
        report = try content.status(asOf: "2026-04-12")
        #expect(contentFindings(report).map(\.rule) == [.hiddenCharacters], "\(contentFindings(report))")
        #expect(report.suppressed.baseline == 2)
        #expect(report.otherFindings.contains { $0.rule == .unsignedConfiguration && $0.path == AcceptedFindings.path })
    }

    /// The policy's levels reach a real repository: a rule set off is counted, not shown, and the
    /// JSON says so per article and in all.
    @Test func levelsAndCommentsAreCountedInTheJSON() throws {
        let content = try repository()
        let policy = ContentRepository.policy + "rules:\n  hidden-characters: off\n"
        try content.commit("switch off hidden characters", [
            .write(Policy.path, policy),
            .write("Articles/flu.md", ContentRepository.article("flu", category: .general, lastUpdated: "2026-04-09",
                                                                body: "<!-- review-ignore repeated-text: the warning is meant three times -->\n\(Self.sentence) \(Self.sentence) \(Self.sentence)")),
        ], on: "2026-04-09")
        let report = try content.status(asOf: "2026-04-10")
        #expect(!report.articles.flatMap(\.findings).contains { $0.rule == .hiddenCharacters })
        #expect(report.suppressed == SuppressedCounts(policy: 1, comments: 1))
        // Read again, from the article cache: the comments are kept with the parse.
        #expect(try content.status(asOf: "2026-04-10").suppressed == SuppressedCounts(policy: 1, comments: 1))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(StatusJSONReporter.render(report).utf8)) as? [String: Any])
        #expect(json["suppressed"] as? [String: Int] == ["policy": 1, "comments": 1, "baseline": 0])
        let articles = try #require(json["articles"] as? [[String: Any]])
        #expect(articles.first { $0["slug"] as? String == "pml" }?["suppressed"] as? [String: Int] == ["policy": 1, "comments": 0, "baseline": 0])
        #expect(articles.first { $0["slug"] as? String == "flu" }?["suppressed"] as? [String: Int] == ["policy": 0, "comments": 1, "baseline": 0])
        // `status ARTICLE` lists each silenced finding under how it was silenced.
        let pml = try #require(report.articles.first { $0.slug == "pml" })
        let detail = DetailReporter.render(pml, asOf: report.asOf, changeSummary: "never fully approved")
        #expect(detail.contains("  switched off by policy\n    Articles/pml.md:8: error: an invisible or direction-changing character in this line: U+200B"), "\(detail)")
    }
}
