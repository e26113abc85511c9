import Paths
import Foundation
import GitKit
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// The review record is append-only and ordered by history (issue 14): each test is an attack
/// or a mistake that, before, made the record say something untrue with no finding.
@Suite struct RecordLogTests {
    static let asOf = "2026-11-25"

    /// Approved by both roles, then a medical objection by a second medical reviewer.
    private func objected() throws -> (ContentRepository, SignOff) {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed"), .medical("bo")])
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-10")
        let objection = try content.signOff("pml", as: "bo", role: "medical", .requestChanges, on: "2026-04-11", comment: "Wrong dose")
        return (content, objection)
    }

    private func status(_ content: ContentRepository, asOf: String = asOf) throws -> ArticleStatus {
        try #require(try content.status(asOf: asOf).articles.first { $0.slug == "pml" })
    }

    private func published(_ content: ContentRepository, asOf: String = asOf) throws -> [String] {
        try content.session().publishing.publish(asOf: Day(asOf)!, dryRun: true, now: ContentRepository.time(asOf)).plan.entries.map(\.path.text)
    }

    @Test(arguments: ["delete", "rename to .yaml", "move", "chmod +x", "symlink", "edit"])
    func aTamperedObjectionStillCountsAndIsAFinding(_ how: String) throws {
        let (content, objection) = try objected()
        let path = objection.canonicalPath.text
        let file = content.path + "/" + path
        switch how {
        case "delete":
            try content.gitCommit("drop it", [["rm", "-q", path]])
        case "rename to .yaml":
            try content.gitCommit("rename", [["mv", path, path.replacingOccurrences(of: ".yml", with: ".yaml")]])
        case "move":
            try FileManager.default.createDirectory(atPath: content.path + "/Reviews/signoffs/old", withIntermediateDirectories: true)
            try content.gitCommit("move", [["mv", path, "Reviews/signoffs/old/x.yml"]])
        case "chmod +x":
            try content.gitCommit("mode", [["update-index", "--chmod=+x", path]])
        case "symlink":
            try content.gitCommit("symlink", [["rm", "-q", path]])
            try FileManager.default.createSymbolicLink(atPath: file, withDestinationPath: "../../policy.yml")
            try content.gitCommit("symlink", [["add", path]], checkout: false)
        default:
            try content.builder.checkoutHead()
            try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(of: "Wrong dose", with: "Fine")
                .write(toFile: file, atomically: true, encoding: .utf8)
            try content.gitCommit("edit", [["add", path]], checkout: false)
        }
        let pml = try status(content)
        #expect(pml.state == .changesRequested, "\(how)")
        #expect(pml.findings.contains { $0.rule == .recordTampered && $0.path == GitPath(path) && $0.severity == .error }, "\(how)")
        #expect(try published(content).isEmpty, "\(how)")
        let report = try content.session().reading.verify(asOf: Day(Self.asOf)!)
        #expect(report.findings.contains { $0.rule == .recordTampered && $0.path == GitPath(path) }, "\(how)")
    }

    @Test func aRestoredRecordIsInPlaceAgain() throws {
        let (content, objection) = try objected()
        let added = try content.repository.headCommit()
        try content.gitCommit("drop it", [["rm", "-q", objection.canonicalPath.text]])
        try content.gitCommit("restore", [["checkout", added.hex, "--", objection.canonicalPath.text]])
        let pml = try status(content)
        #expect(pml.state == .changesRequested)
        #expect(!pml.findings.contains { $0.rule == .recordTampered })
    }

    @Test(arguments: [
        ("a timestamp without its Z", "timestamp: 2026-04-12T12:00:00\n"),
        ("a duplicate key", "decision: approve\ndecision: request-changes\n"),
        ("junk", "\u{1}\u{2}not yaml: [\n"),
    ])
    func anUnreadableRecordIsABlockingFindingVerifyCounts(_ what: String, _ text: String) throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let good = try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        let junk: GitPath = "Reviews/signoffs/pml/20260412T120000Z-ann-medical.yml"
        let body = good.fileText.components(separatedBy: "\n").filter { !$0.hasPrefix("timestamp:") && !$0.hasPrefix("decision:") }.joined(separator: "\n")
        try content.commit("hand-written", [.write(junk, what == "junk" ? text : text + body)], on: "2026-04-12")
        let pml = try status(content)
        #expect(pml.findings.contains { $0.rule == .unreadableRecord && $0.path == junk && $0.severity == .error }, "\(what)")
        let report = try content.session().reading.verify(asOf: Day(Self.asOf)!)
        #expect(report.total == 2 && report.verified == 1, "\(what)")
        #expect(report.findings.map(\.path) == [junk], "\(what)")
        // It does not stand in the way of the next decision.
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-13")
        #expect(try status(content).missingRoles.isEmpty)
    }

    @Test func aLaterObjectionOutranksAnApprovalDatedInTheFuture() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed"), .medical("bo")])
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        // Signed "2031-06-01", committed on 2026-04-10.
        let forward = try content.writeRecord("pml", as: "ann", role: "medical", on: "2031-06-01", committedOn: "2026-04-10")
        try content.signOff("pml", as: "bo", role: "medical", .requestChanges, on: "2026-04-11", comment: "Wrong dose")
        let pml = try status(content)
        #expect(pml.state == .changesRequested)
        #expect(pml.lastReviewed == nil)
        #expect(pml.findings.contains { $0.rule == .timestampOutOfRange && $0.path == forward.canonicalPath })
        #expect(try published(content).isEmpty)
    }

    @Test func historyOrdersDecisionsNotTheSignersClock() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed"), .medical("bo")])
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        // The objection claims an earlier time than the approval committed before it (within
        // the clock tolerance of its own commit): history puts it last.
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-12")
        try content.writeRecord("pml", as: "bo", role: "medical", .requestChanges, on: "2026-04-11", committedOn: "2026-04-11",
                                comment: "Wrong dose")
        #expect(try status(content).state == .changesRequested)
    }

    @Test func aRecordDatedBeforeItsRevisionExistedDoesNotCount() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.edit("pml", lastUpdated: "2026-05-01")
        let back = try content.writeRecord("pml", as: "ann", role: "medical", on: "2026-04-20", committedOn: "2026-05-02")
        let pml = try status(content)
        #expect(pml.approvals.isEmpty)
        #expect(pml.findings.contains { $0.rule == .timestampOutOfRange && $0.path == back.canonicalPath && $0.message.contains("before revision") })
    }

    @Test func aRetiredKeyCannotSignIntoItsOldWindow() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.commit("retire ann", [.write(Reviewer.path, try content.reviewersFile(retiring: "ann", on: "2026-05-01"))], on: "2026-05-01")
        // Signed and committed with dates inside the old window, but added after the retirement.
        let late = try content.writeRecord("pml", as: "ann", role: "medical", on: "2026-04-20", committedOn: "2026-04-20")
        let pml = try status(content)
        #expect(pml.approvals.isEmpty)
        #expect(pml.findings.contains { $0.rule == .keyExpired && $0.path == late.canonicalPath })
    }

    /// Judged where it enters the branch (the merge), an honest record signed on a branch before
    /// the retirement and merged after it no longer counts: it must be approved again with a
    /// current key (issue 31, item 2; it used to count).
    @Test func aRecordSignedBeforeRetirementOnABranchAndMergedAfterIsKeyExpired() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let base = try content.repository.headCommit()
        let record = try content.writeRecord("pml", as: "ann", role: "medical", on: "2026-04-20")
        let side = try content.repository.headCommit()
        try content.builder.branch(RepoBuilder.main, at: base)
        try content.commit("retire ann", [.write(Reviewer.path, try content.reviewersFile(retiring: "ann", on: "2026-05-01"))], on: "2026-05-01")
        try content.builder.merge(side, [.write(record.canonicalPath, record.fileText)], time: ContentRepository.time("2026-05-02"))
        let pml = try status(content)
        #expect(pml.approvals.isEmpty)
        #expect(pml.findings.contains { $0.rule == .keyExpired && $0.message.contains("approve again with the current key") })
    }

    /// The editor re-approving never refreshes the cardiologist's review.
    @Test func eachRoleKeepsItsOwnReviewClock() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")], on: "2025-01-01")
        try content.signOff("pml", as: "ann", role: "medical", on: "2025-01-10")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2025-01-10")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2025-12-20")
        let pml = try status(content, asOf: "2026-02-01")
        #expect(pml.state == .approved)
        #expect(pml.lastReviewed == Day("2025-01-10"))
        #expect(pml.freshness == .overdue)
        #expect(pml.reviews.map { "\($0.reviewer) \($0.date)" } == ["ann 2025-01-10", "ed 2025-12-20"])
        // Overdue: the page stays up with a notice, dated from the stalest role's review.
        let overdue = try content.session().publishing.publish(asOf: Day("2026-02-01")!, dryRun: true, now: ContentRepository.time("2026-02-01")).plan
        #expect(overdue.entries.map(\.overdueSince) == [Day("2026-01-10")])
        // While it is still due: the page names each reviewer once, with their own review's date.
        let plan = try content.session().publishing.publish(asOf: Day("2026-01-05")!, dryRun: true, now: ContentRepository.time("2026-01-05")).plan
        let manifest = PublishedManifest(plan: plan)
        #expect(manifest.articles.first?.reviewers.map { "\($0.id) \($0.role) \($0.date)" } == ["ann medical 2025-01-10", "ed editorial 2025-12-20"])
        #expect(manifest.articles.first?.lastReviewed == Day("2025-01-10"))
    }

    @Test func restoringOlderApprovedBytesCarriesTheirOwnReviewDates() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")], on: "2025-01-01")
        let original = ContentRepository.article("pml", category: .neurology, lastUpdated: "2025-01-01")
        try content.signOff("pml", as: "ann", role: "medical", on: "2025-01-10")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2025-01-10")
        try content.edit("pml", lastUpdated: "2025-06-01")
        try content.signOff("pml", as: "ann", role: "medical", on: "2025-06-10")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2025-06-10")
        try content.commit("revert", [.write("Articles/pml.md", original)], on: "2026-01-20")
        let pml = try status(content, asOf: "2026-01-20")
        #expect(pml.state == .approved)
        #expect(pml.lastReviewed == Day("2025-01-10"))
        #expect(pml.freshness == .overdue)
    }

    @Test func coAuthorsCannotApproveTheirEdit() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.builder.commit("Edit pml\n\nCo-authored-by: Ann <ANN@example.org>\n",
                                   [.write("Articles/pml.md", ContentRepository.article("pml", category: .neurology, lastUpdated: "2026-05-01", body: "New."))],
                                   time: ContentRepository.time("2026-05-01"), author: "Writer")
        #expect {
            try content.signOff("pml", as: "ann", role: "medical", on: "2026-05-02")
        } throws: { error in
            (error as? ReviewError)?.description.contains("self-approval") == true
        }
    }

    @Test func oneReviewerCannotFillTwoRequiredRoles() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.both("duo")])
        try content.signOff("pml", as: "duo", role: "medical", on: "2026-04-09")
        #expect {
            try content.signOff("pml", as: "duo", role: "editorial", on: "2026-04-10")
        } throws: { error in
            (error as? ReviewError)?.description.contains("separation-of-duties") == true
        }
        // A policy may allow it.
        try content.commit("allow", [.write(Policy.path, ContentRepository.policy + "separate-roles: false\n")], on: "2026-04-10")
        try content.signOff("pml", as: "duo", role: "editorial", on: "2026-04-11")
        let pml = try status(content)
        #expect(pml.state == .approved)
        #expect(pml.reviews.count == 2)
    }

    @Test func aPureMoveKeepsItsApprovals() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-10")
        try FileManager.default.createDirectory(atPath: content.path + "/Articles/neuro", withIntermediateDirectories: true)
        try content.gitCommit("move", [["mv", "Articles/pml.md", "Articles/neuro/pml.md"]])
        let pml = try status(content)
        #expect(pml.path == "Articles/neuro/pml.md")
        #expect(pml.state == .approved)
        #expect(pml.findings.filter { $0.severity == .error }.isEmpty)
        #expect(try published(content) == ["Articles/neuro/pml.md"])
    }

    @Test func aShallowCloneFailsClosedWithoutCallingHonestRecordsBad() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "ms": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-10")
        try content.edit("ms", lastUpdated: "2026-04-11")
        let clone = TemporaryDirectory()
        try Git.run(["clone", "-q", "--depth", "1", "file://" + content.path, clone.path + "/c"], in: content.path)
        let session = try ReviewSession.open(clone.path + "/c")
        let report = try session.reading.status(asOf: Day(Self.asOf)!)
        let pml = try #require(report.articles.first { $0.slug == "pml" })
        #expect(pml.findings.contains { $0.rule == .historyMissing && $0.severity == .error && $0.message.contains("fetch-depth: 0") })
        #expect(pml.state != .approved)
        #expect(!report.allFindings.contains { $0.rule == .badSignature })
        let verified = try session.reading.verify(asOf: Day(Self.asOf)!)
        #expect(!verified.findings.isEmpty && verified.findings.allSatisfy { $0.rule == .historyMissing })
        #expect(try session.publishing.publish(asOf: Day(Self.asOf)!, dryRun: true, now: ContentRepository.time(Self.asOf)).plan.entries.isEmpty)
    }
}

/// Repository values cannot drive the terminal or the CI runner (issue 14, item 8).
@Suite struct HostileOutputTests {
    @Test func noFormatButGitHubIssuesWorkflowCommandsAndNoneCarriesControlCharacters() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let title = "Pml \u{1B}]0;owned\u{07}\u{1B}[2J\u{202E}txet"
        try content.commit("hostile", [
            .write("Articles/pml.md", ContentRepository.article("pml", category: .neurology, lastUpdated: "2026-04-07")
                .replacingOccurrences(of: "title: Pml", with: "title: \"\(title.replacingOccurrences(of: "\u{1B}", with: "\\e").replacingOccurrences(of: "\u{07}", with: "\\a"))\"")),
            .write("Articles/::error file=x::owned.md", "---\ntitle: \"::warning::owned\"\n---\n"),
        ], on: "2026-04-08")
        try content.signOff("pml", as: "ann", role: "medical", .requestChanges, on: "2026-04-09",
                            comment: "Fix it\n::error file=Articles/pml.md::owned\n\u{1B}[31mred")
        let report = try content.status(asOf: "2026-11-25")
        #expect(report.articles.contains { $0.title?.contains("\u{1B}") == true })  // the hostile value did reach the report
        // Unguarded, the table would start a line with the hostile slug.
        #expect(TableReporter.render(report).split(separator: "\n").contains { $0.hasPrefix("::error") })
        var outputs = CheckFormat.allCases.filter { $0 != .github }.map { ($0.rawValue, $0.render(report)) }
        outputs += StatusFormat.allCases.map { ("status-\($0.rawValue)", TerminalSafe.withoutWorkflowCommands($0.reporter.render(report))) }
        for (name, output) in outputs {
            for line in output.split(separator: "\n") {
                #expect(!line.drop { $0 == " " || $0 == "\t" }.hasPrefix("::"), "\(name): \(line)")
            }
        }
        for (name, output) in outputs + [("github", CheckFormat.github.render(report))] where !name.contains("json") && name != "sarif" {
            #expect(!output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E }, "\(name)")
        }
        // The github format's own commands: one per finding line, the comment's newline escaped.
        let github = CheckFormat.github.render(report)
        #expect(!github.split(separator: "\n").contains { $0.hasPrefix("::error file=Articles/pml.md::owned") })
    }
}

@Suite struct StrictConfigurationTests {
    @Test func anEmptyDisclaimerStopsEveryCommandWithFileAndRemedy() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.commit("empty it", [.write("Reviews/disclaimers/medical.md", " \n\n")], on: "2026-04-08")
        #expect {
            try content.status(asOf: "2026-11-25")
        } throws: { error in
            guard let error = error as? ReviewError else { return false }
            return error.file == "Reviews/disclaimers/medical.md" && error.description.contains("empty")
        }
    }
}
