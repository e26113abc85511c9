import Paths
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GitKit
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// A repository with one finding of each contract rule, built the same way every time.
enum ReporterFixture {
    static let asOf = "2026-11-25"

    static func report() throws -> StatusReport {
        let content = try ContentRepository(
            articles: ["ok": .neurology, "late": .neurology, "soon": .neurology, "forged": .neurology, "expired": .neurology,
                       "stranger": .neurology, "own": .neurology, "wrongrole": .neurology, "asked": .neurology,
                       "deleted": .neurology, "junk": .neurology, "later": .neurology, "twice": .neurology, "gone": .neurology,
                       "damaged": .neurology],
            reviewers: [.medical("ann"), .editorial("ed"), .medical("old", validUntil: "2026-01-31"), .both("duo")],
            on: "2026-01-01", policy: ContentRepository.policy + "translations:\n  source-key: translation-of\n")
        try content.signOff("ok", as: "ann", role: "medical", on: "2026-01-02")
        try content.signOff("ok", as: "ed", role: "editorial", on: "2026-01-02")
        // Overdue and due soon: reviewed long ago / a year less 20 days ago.
        try content.edit("late", lastUpdated: "2024-01-01", body: "Text.")
        try content.edit("soon", lastUpdated: "2025-12-15", body: "Text.")
        try content.commit("broken and odd articles", [
            .write("Articles/broken.md", "---\ntitle: [unclosed\n---\nBody\n"),
            .write("Articles/astro.md", ContentRepository.article("astro", category: .neurology, lastUpdated: "2026-01-01").replacingOccurrences(of: "category: neurology", with: "category: astrology")),
            .write("Articles/future.md", ContentRepository.article("future", category: .neurology, lastUpdated: "2027-01-01")),
            .write("Articles/bare.md", "---\ntitle: \"Bare: 50%, :: fever, rash\\nsecond line\"\nlast-updated: 2026-01-01\ncategory: neurology\n---\n\nNo disclaimer here.\n"),
            .write("Articles/edited.md", ContentRepository.article("edited", category: .neurology, lastUpdated: "2026-01-01",
                                                                   body: "Text.\n\nMedical disclaimer: this is general information, not legal advice.")
                .replacingOccurrences(of: "\n\n" + ContentRepository.disclaimer, with: "")),
        ], on: "2026-01-01")
        try content.edit("stranger", lastUpdated: "2026-01-01", on: "2026-01-20", body: "Changed text.")  // last-updated-not-bumped
        try content.writeRecord("forged", as: "ann", role: "medical", on: "2026-01-03", signer: "ed")          // bad-signature
        try content.writeRecord("expired", as: "old", role: "medical", on: "2026-02-03")                       // key-expired
        try content.writeRecord("stranger", as: "mallory", role: "medical", on: "2026-02-03")                  // unknown-reviewer
        try content.writeRecord("wrongrole", as: "ed", role: "medical", on: "2026-02-03")                      // role-not-held
        try content.edit("own", lastUpdated: "2026-02-04", body: "Ann's edit.", author: "Ann")
        try content.writeRecord("own", as: "ann", role: "medical", on: "2026-02-05")                          // self-approval
        try content.signOff("asked", as: "ann", role: "medical", .requestChanges, on: "2026-02-06", comment: "Cite a source, please")
        let objection = try content.signOff("deleted", as: "ann", role: "medical", .requestChanges, on: "2026-02-07", comment: "Wrong dose")
        try content.commit("drop the objection", [.remove(objection.canonicalPath)], on: "2026-02-08")    // record-tampered
        try content.commit("junk", [.write("Reviews/signoffs/junk/20260209T120000Z-ann-medical.yml", "decision: [\n")],
                           on: "2026-02-09")                                                                // unreadable-record
        try content.writeRecord("later", as: "ann", role: "medical", on: "2026-12-01")                      // timestamp-out-of-range
        try content.signOff("twice", as: "duo", role: "medical", on: "2026-02-10")
        try content.writeRecord("twice", as: "duo", role: "editorial", on: "2026-02-10")                    // separation-of-duties
        try content.signOff("gone", as: "ann", role: "medical", on: "2026-02-11")
        try content.commit("remove gone", [.remove("Articles/gone.md")], on: "2026-02-12")                 // unattached-record
        // translation-outdated: the English dose changed and was approved again after the French
        // page was made from it; translation-source: a translation of no article.
        let translation = { (slug: String, source: String) in
            ContentRepository.article(slug, category: .general, lastUpdated: "2026-02-14")
                .replacingOccurrences(of: "tags: [a]\n", with: "tags: [a]\ntranslation-of: \(source)\nlang: fr\n")
        }
        try content.commit("translations", [.write("Articles/dose.md", ContentRepository.article("dose", category: .general, lastUpdated: "2026-02-14")),
                                            .write("Articles/dose-fr.md", translation("dose-fr", "Articles/dose.md")),
                                            .write("Articles/orphan-fr.md", translation("orphan-fr", "Articles/orphan.md"))], on: "2026-02-14")
        try content.builder.checkoutHead()
        try content.signOff("dose", as: "ed", role: "editorial", on: "2026-02-15")
        try content.edit("dose", category: .general, lastUpdated: "2026-02-16", body: "Take two tablets.")
        try content.signOff("dose", as: "ed", role: "editorial", on: "2026-02-17")
        let damaged = "PML is a rare infection of the brain caused by the JC virus. What causes this infection of the brain? The virus stays dormant.\n\n"
            + "PML is a rare infection of the brain caused by the JC virus.\n\n## Risk\n\nThose at highest risk include:\n\n-- people with HIV;\n\n-- people on some medicines.\n\n"
            + "#### Too deep\n\nA hidden\u{200B}space and ![](chart.png)."  // heading-structure, hidden-characters, image-without-alt
            + " See [the leaflet](leaflet.pdf)."                                 // broken-link
            + " Print [this page](Damaged.md)."                                  // link-case-mismatch
        try content.edit("damaged", lastUpdated: "2026-02-13", body: damaged)  // repeated-text, run-in-question, list-intro-without-list
        // invalid-suppression (no reason: the first space is still reported), and a space
        // suppressed in the article (counted, not shown).
        try content.commit("quiet", [.write("Articles/quiet.md", ContentRepository.article("quiet", category: .neurology, lastUpdated: "2026-02-14", body: """
            <!-- review-ignore hidden-characters -->
            A zero\u{200B}width space.

            <!-- review-ignore hidden-characters: quoted from the leaflet -->
            Another zero\u{200B}width space.
            """))], on: "2026-02-14")
        return try content.status(asOf: asOf)
    }
}

@Suite(.serialized) struct ReporterTests {
    static let report: StatusReport = try! ReporterFixture.report()
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    /// Undoes the workflow-command escaping, as the GitHub runner does.
    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%0A", with: "\n")
            .replacingOccurrences(of: "%3A", with: ":").replacingOccurrences(of: "%2C", with: ",").replacingOccurrences(of: "%25", with: "%")
    }

    @Test func theFixtureHasOneFindingOfEachContractRule() {
        let rules = Set(Self.report.allFindings.map(\.rule))
        // Shallow clones have their own tests (history-missing, unknown-history).
        // render-integrity reports a renderer bug, which no article can cause (its own tests).
        // The fixture is ungoverned; governance has its own tests (GovernanceTests), and so do
        // confusable paths (PathIdentityTests), and retractions (EditorialLifecycleTests).
        #expect(rules == Set(RuleID.allCases).subtracting([.retracted, .retractionNotAuthorized, .unknownHistory, .historyMissing, .historyRewritten, .rawHTMLShown, .unfilledPlaceholder, .outdatedDisclaimer, .renderIntegrity,
                                                                      .readingLevel, .unsignedConfiguration, .configurationRollback,
                                                                      .trustRootMismatch, .trustRootRequired, .unpinnedTrustRoot,
                                                                      .unjustifiedPublication, .confusablePaths,
                                                                      // Fragments (FragmentTests).
                                                                      .fragmentChanged, .fragmentMissing, .fragmentCycle]))
    }

    /// `status --format json` writes its articles on all cores, a run of 64 at a time: the text
    /// is the reporter's, for the fixture and for a report large enough to be spread (the map
    /// goes parallel from 4 runs; 600 articles are 9 runs and a shorter one).
    @Test func statusJSONWrittenOnAllCoresIsTheReportersText() {
        #expect(ReviewSession.Reading.render(Self.report, as: .json) == StatusJSONReporter.render(Self.report))
        var large = Self.report
        large.articles = (0..<600).map { i in
            var status = Self.report.articles[i % Self.report.articles.count]
            status.path = status.path + "-\(i)"
            return status
        }
        #expect(ReviewSession.Reading.render(large, as: .json) == StatusJSONReporter.render(large))
        for format in StatusFormat.allCases where format != .json {
            #expect(ReviewSession.Reading.render(large, as: format) == format.reporter.render(large))
        }
        // The parts the command line writes out one by one join to the same text.
        for format in StatusFormat.allCases {
            let parts = ReviewSession.Reading.renderParts(large, as: format)
            #expect(String(decoding: parts.joined(), as: UTF8.self) == format.reporter.render(large))
            // JSON: a part per run of articles, and the text between them.
            #expect(format != .json || parts.count > large.articles.count / StatusJSONReporter.articlesPerRun)
        }
    }

    /// The command line's check for workflow-command lines, made on all cores over a large
    /// report's parts, agrees with the one-pass reading, including a line cut over parts.
    @Test func workflowCommandsInManyPartsAreFoundOnAllCores() {
        var large = Self.report
        // Enough runs of articles (each a part, with the text between) for the scan to be spread.
        large.articles = (0..<(300 * StatusJSONReporter.articlesPerRun)).map { i in
            var status = Self.report.articles[i % Self.report.articles.count]
            status.path = status.path + "-\(i)"
            return status
        }
        let parts = ReviewSession.Reading.renderParts(large, as: .json)
        #expect(parts.count > 256)
        let found = (ReviewSession.Reading.containsWorkflowCommands(parts), TerminalSafe.containsWorkflowCommands(parts))
        #expect(!found.0 && !found.1)
        // A command line whose blanks, colons and name fall in three parts, far into the text.
        for (at, pieces) in [(300, ["\n  ", ":", ":error::x\n"]), (parts.count - 1, ["\n\t:", ":warning::y", ""]), (5, ["\n", "::", "z"]),
                                 // Lines inside one part, after its first line feed, with a colon left at its end.
                                 (200, ["x\n y\n ::set-output\n"]), (400, ["x\n\r\n :", ":"]), (401, ["x\ny\n\n", "\t::debug"])] {
            var cut = parts
            cut.insert(contentsOf: pieces.map { Array($0.utf8) }, at: at)
            // (Values first: a failed expectation prints its operands, here megabytes of parts.)
            let onAllCores = ReviewSession.Reading.containsWorkflowCommands(cut), inOnePass = TerminalSafe.containsWorkflowCommands(cut)
            #expect(onAllCores, "\(pieces)")
            #expect(inOnePass, "\(pieces)")
        }
        // Not one after another blank line's end where a non-blank comes first.
        var quoted = parts
        quoted.insert(contentsOf: [Array("\n  x".utf8), Array("::error::".utf8)], at: 300)
        let quotedFound = ReviewSession.Reading.containsWorkflowCommands(quoted)
        #expect(!quotedFound)
    }

    /// Each reporter's output is compared with its golden file; `REVIEW_RECORD_GOLDENS=1` rewrites them.
    @Test(arguments: CheckFormat.allCases.map(\.rawValue) + StatusFormat.allCases.map { "status-\($0.rawValue)" })
    func matchesGolden(_ name: String) throws {
        let output: String
        if name.hasPrefix("status-") {
            output = StatusFormat(rawValue: String(name.dropFirst(7)))!.reporter.render(Self.report)
        } else {
            output = CheckFormat(rawValue: name)!.reporter.render(Self.report)
        }
        let file = Self.goldens.appendingPathComponent("\(name).golden")
        if ProcessInfo.processInfo.environment["REVIEW_RECORD_GOLDENS"] == "1" {
            try output.write(to: file, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(output == expected, "\(name) differs from \(file.path); rerun with REVIEW_RECORD_GOLDENS=1 if the change is intended")
    }

    @Test func junitParsesBackWithOneFailurePerBlockingFinding() throws {
        let xml = try XMLDocument(data: Data(JUnitReporter.render(Self.report).utf8))
        let cases = try xml.nodes(forXPath: "//testcase")
        #expect(cases.count == Self.report.articles.count + (Self.report.otherFindings.isEmpty ? 0 : 1))
        let failures = try xml.nodes(forXPath: "//failure")
        let blocking = Self.report.allFindings.filter { $0.severity == .error }
        #expect(failures.count == blocking.count)
        let suite = try #require(try xml.nodes(forXPath: "//testsuite").first as? XMLElement)
        #expect(suite.attribute(forName: "tests")?.stringValue == "\(cases.count)")
    }

    @Test func checkstyleParsesBack() throws {
        let xml = try XMLDocument(data: Data(CheckstyleReporter.render(Self.report).utf8))
        let errors = try xml.nodes(forXPath: "//error")
        #expect(errors.count == Self.report.allFindings.count)
        let first = try #require(errors.first as? XMLElement)
        #expect(first.attribute(forName: "source")?.stringValue?.hasPrefix("review.rules.") == true)
    }

    @Test func xmlEscapingCoversMarkupAndControlCharacters() throws {
        let nasty = "a & b < c > d \" e ' f \u{1} g \t h \n i"
        let escaped = XMLEscaping.escape(nasty)
        #expect(escaped == "a &amp; b &lt; c &gt; d &quot; e &apos; f \u{FFFD} g &#9; h &#10; i")
        let xml = try XMLDocument(data: Data("<x a=\"\(escaped)\">\(escaped)</x>".utf8))
        #expect(xml.rootElement()?.attribute(forName: "a")?.stringValue == nasty.replacingOccurrences(of: "\u{1}", with: "\u{FFFD}"))
    }

    @Test func githubAnnotationsRoundTripATitleWithCommandCharacters() throws {
        let title = "50% of cases :: fever, rash\nand more\r"
        let finding = Finding(.missingDisclaimer, path: "Articles/a,b:c.md", line: 3, "disclaimer missing in \(title)")
        let line = GitHubReporter.render(StatusReport(asOf: Day("2026-11-25")!, head: "0", articles: [], otherFindings: [finding]))
            .split(separator: "\n").first.map(String.init)!
        // One line: "::error PROPERTIES::MESSAGE"; the message is everything after the second "::".
        #expect(line.hasPrefix("::error file=Articles/a%2Cb%3Ac.md,line=3,"), "\(line)")
        let afterCommand = line.dropFirst(2)
        let separator = try #require(afterCommand.range(of: "::"))
        let parts = ["", String(afterCommand[..<separator.lowerBound]), String(afterCommand[separator.upperBound...])]
        #expect(!parts[1].contains("::"))
        #expect(Self.unescape(parts[2]) == finding.message)
    }

    @Test func anArticleTitleWithCommandCharactersRoundTrips() throws {
        let line = try #require(GitHubReporter.render(Self.report).split(separator: "\n").first { $0.contains("Articles/bare.md") })
        let title = try #require(line.components(separatedBy: ",title=").last?.components(separatedBy: "::").first)
        #expect(Self.unescape(title) == "missing-disclaimer: Bare: 50%, :: fever, rash\nsecond line")
    }

    @Test func githubCapsAnnotationsAndPrintsTheRestAsLogLines() {
        let findings = (0..<25).map { Finding(.overdue, path: GitPath("Articles/a\($0).md"), "late") }
            + (0..<12).map { Finding(.dueSoon, path: GitPath("Articles/b\($0).md"), "soon") }
        let out = GitHubReporter.render(StatusReport(asOf: Day("2026-11-25")!, head: "0", articles: [], otherFindings: findings))
        let lines = out.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("::error ") }.count == 10)
        #expect(lines.filter { $0.hasPrefix("::warning ") }.count == 10)
        #expect(lines.prefix(10).allSatisfy { $0.hasPrefix("::error ") })
        // The 17 past the caps follow as plain log lines: none is lost.
        #expect(lines.contains("review: 17 more findings past GitHub's 10 error and 10 warning annotations per step:"))
        #expect(lines.filter { $0.hasPrefix("Articles/a") && $0.contains(": error: late [overdue]") }.count == 15)
        #expect(lines.filter { $0.hasPrefix("Articles/b") && $0.contains(": warning: soon [due-soon]") }.count == 2)
        #expect(lines.last == "review: 25 errors, 12 warnings")
    }

    @Test func sarifValidatesAgainstTheSchema() throws {
        let sarif = SARIFReporter.render(Self.report)
        let directory = TemporaryDirectory()
        let file = directory.file("review.sarif")
        try sarif.write(toFile: file, atomically: true, encoding: .utf8)
        let schema = Self.goldens.deletingLastPathComponent().appendingPathComponent("Schemas/sarif-2.1.0-subset.json").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); log = json.load(open(sys.argv[2]))
            jsonschema.Draft4Validator.check_schema(schema)
            errors = sorted(jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).iter_errors(log), key=str)
            for e in errors: print(list(e.absolute_path), e.message)
            sys.exit(1 if errors else 0)
            """, schema, file]
        let result = try ProcessResult(process)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        // Every result names a rule the driver describes, with a location and a line.
        let log = try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as! [String: Any]
        let run = (log["runs"] as! [[String: Any]])[0]
        let rules = ((run["tool"] as! [String: Any])["driver"] as! [String: Any])["rules"] as! [[String: Any]]
        #expect(rules.count == RuleID.allCases.count)
        #expect((run["results"] as! [Any]).count == Self.report.allFindings.count)
    }
}
