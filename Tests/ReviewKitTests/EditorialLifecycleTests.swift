import Paths
import SystemCrypto
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GitKit
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// Issue 38: signed retraction, embargo and scheduled publishing.
@Suite struct EditorialLifecycleTests {
    private let author = Signature(name: "Publisher", email: "pub@example.org", time: 1_800_000_000)

    private func publish(_ content: ContentRepository, on day: String, dryRun: Bool = false) throws -> Publisher.Outcome {
        try Publisher.publish(repository: content.repository, asOf: Day(day)!, dryRun: dryRun, author: author)
    }

    /// Every file on the published ref: path → text.
    private func publishedFiles(_ content: ContentRepository) throws -> [GitPath: String] {
        guard let commit = try content.repository.referenceTarget(Publisher.reference) else { return [:] }
        var out: [GitPath: String] = [:]
        for file in try content.repository.files(under: "", inTree: content.repository.commit(commit).tree) {
            out[file.path] = String(decoding: try content.repository.blob(file.id), as: UTF8.self)
        }
        return out
    }

    private func approve(_ content: ContentRepository, _ slug: String, on day: String) throws {
        try content.signOff(slug, as: "ann", role: "medical", on: day)
        try content.signOff(slug, as: "ed", role: "editorial", on: day)
    }

    @discardableResult
    private func retract(_ content: ContentRepository, _ slug: String, as reviewer: String, role: String = "", on day: String,
                         reason: String = "Wrong dose in the table: 10 mg, not 100 mg.") throws -> SignOff {
        var request = SignOffRequest(article: slug, reviewer: reviewer, role: role, decision: .retract, comment: "",
                                     timestamp: ContentRepository.time(day))
        request.reason = reason
        return try content.session().decisions.record([request], key: content.key(reviewer)!).0[0].signOff
    }

    // MARK: Retraction

    @Test func aRetractionTakesThePageDownAtOnceAndLeavesANotice() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "other": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try approve(content, "pml", on: "2026-04-09")
        try approve(content, "other", on: "2026-04-09")
        let published = try #require(try content.repository.entry(at: "Articles/pml.md", inCommit: content.repository.headCommit())).id.hex
        _ = try publish(content, on: "2026-04-10")
        // An unapproved edit meanwhile: the retraction names the published revision, not it.
        try content.edit("pml", lastUpdated: "2026-04-10", body: "Draft fix.")

        let record = try retract(content, "pml", as: "ann", on: "2026-04-11")
        #expect(record.role == "medical" && record.blob == published && record.reason == "Wrong dose in the table: 10 mg, not 100 mg.")
        let status = try #require(try content.status(asOf: "2026-04-11").articles.first { $0.slug == "pml" })
        #expect(status.retraction?.reason == "Wrong dose in the table: 10 mg, not 100 mg.")
        #expect(status.findings.contains { $0.rule == .retracted && $0.message.contains("retracted on 2026-04-11 by ann (medical)") })

        let outcome = try publish(content, on: "2026-04-11")
        let withdrawal = try #require(outcome.plan.withdrawals.first)
        #expect(outcome.plan.changes.contains(.withdrawn(withdrawal, wasPublished: true)))
        #expect(outcome.plan.summaryLines.contains("withdraw Articles/pml.md: retracted on 2026-04-11 by Ann (medical): Wrong dose in the table: 10 mg, not 100 mg."))
        let files = try publishedFiles(content)
        #expect(files["Articles/pml.md"] == nil && files["Articles/other.md"] != nil)
        let notice = try #require(files["_site/pml.html"])
        #expect(notice.contains("This page has been withdrawn.") && notice.contains("datetime=\"2026-04-11\"")
                && notice.contains("Reason: Wrong dose in the table: 10 mg, not 100 mg.") && !notice.contains("Text."))
        #expect(try #require(files["published.json"]).contains("\"withdrawn\""))
        // The reviewers' desk says why publish would not put it up.
        let evaluation = try content.session().reading.evaluate(asOf: Day("2026-04-11")!)
        let facts = try #require(evaluation.snapshot.articles.first { $0.article.slug == "pml" })
        let current = try #require(evaluation.report.articles.first { $0.slug == "pml" })
        let preview = SitePreview.publication(facts, current, configuration: evaluation.snapshot.configuration(asOf: Day("2026-04-11")!))
        #expect(preview.heldBack == "withdrawn: retracted on 2026-04-11 by Ann (medical): Wrong dose in the table: 10 mg, not 100 mg.")
        #expect(!(try #require(files["_site/index.html"])).contains("pml.html"))
        // verify counts the retraction as a record that verifies.
        let verify = try content.session().reading.verify(asOf: Day("2026-04-11")!)
        #expect(verify.findings.filter { $0.severity == .error }.isEmpty)
    }

    @Test func reapprovingTheRetractedTextDoesNotLiftItAndApprovingANewRevisionDoes() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try approve(content, "pml", on: "2026-04-09")
        _ = try publish(content, on: "2026-04-10")
        try retract(content, "pml", as: "ed", on: "2026-04-11")
        // Approving the very text retracted again: it stays down.
        try approve(content, "pml", on: "2026-04-12")
        #expect(try content.status(asOf: "2026-04-12").articles[0].retraction != nil)
        let down = try publish(content, on: "2026-04-12").plan
        #expect(down.entries.isEmpty)
        #expect(down.summaryLines == ["withdraw Articles/pml.md: retracted on 2026-04-11 by Ed (editorial): Wrong dose in the table: 10 mg, not 100 mg."])
        // Published again while still retracted: kept down, listed with its path in the column
        // every other line's path is in (`publish --list`).
        let kept = try publish(content, on: "2026-04-12").plan
        #expect(kept.entries.isEmpty)
        #expect(kept.summaryLines == ["withheld Articles/pml.md (withdrawn, kept down): retracted on 2026-04-11 by Ed (editorial): Wrong dose in the table: 10 mg, not 100 mg."])
        // Text equal up to unreviewed fields (tags) is the same text: still down.
        try content.edit("pml", lastUpdated: "2026-04-07", on: "2026-04-13", body: "Text.", tags: "[a, b]")
        try approve(content, "pml", on: "2026-04-13")
        #expect(try content.status(asOf: "2026-04-13").articles[0].retraction != nil)
        // A fixed text, fully approved after the retraction: the page is back.
        try content.edit("pml", lastUpdated: "2026-04-14", body: "Corrected text.")
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-14")
        #expect(try content.status(asOf: "2026-04-14").articles[0].retraction != nil, "one role's approval is not a full approval")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-14")
        #expect(try content.status(asOf: "2026-04-14").articles[0].retraction == nil)
        let back = try publish(content, on: "2026-04-14")
        #expect(back.plan.entries.map(\.slug) == ["pml"] && back.plan.withdrawals.isEmpty)
        #expect(try publishedFiles(content)["_site/pml.html"]?.contains("withdrawn") == false)
    }

    @Test func onlyARequiredRoleMayRetract() throws {
        let content = try ContentRepository(articles: ["note": .general], reviewers: [.medical("ann"), .editorial("ed")])
        // general requires editorial only: ann (medical) may not retract it.
        #expect(throws: ReviewError.self) { try retract(content, "note", as: "ann", on: "2026-04-09") }
        #expect(throws: ReviewError.self) { try retract(content, "note", as: "ann", role: "medical", on: "2026-04-09") }
        #expect(throws: ReviewError.self) { try retract(content, "note", as: "ed", on: "2026-04-09", reason: "  ") }
        // A hand-made retraction in that role does not count, and holds the article off the site.
        try content.signOff("note", as: "ed", role: "editorial", on: "2026-04-09")
        let head = try content.repository.headCommit()
        let blob = try #require(try content.repository.entry(at: "Articles/note.md", inCommit: head))
        var forged = SignOff(article: "Articles/note.md", blob: blob.id.hex, sha256: SignOff.sha256Hex(try content.repository.blob(blob.id)),
                             reviewer: "ann", role: "medical", decision: .retract, timestamp: ContentRepository.time("2026-04-10"), comment: "")
        forged.reason = "I say so."
        try forged.sign(with: content.key("ann")!)
        try content.commit("Retract by hand", [.write(forged.canonicalPath, forged.fileText)], on: "2026-04-10", author: "Ann")
        let status = try content.status(asOf: "2026-04-10").articles[0]
        #expect(status.retraction == nil)
        #expect(status.recordFindings.contains { $0.rule == .retractionNotAuthorized })
        #expect(try publish(content, on: "2026-04-10", dryRun: true).plan.entries.isEmpty)
    }

    @Test func aRetractionIsARecordTheLogGuards() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try approve(content, "pml", on: "2026-04-09")
        let record = try retract(content, "pml", as: "ann", on: "2026-04-10")
        let path = record.canonicalPath
        // Editing the reason after the fact: tampering, and the retraction still counts as committed.
        let text = try content.text(path).replacingOccurrences(of: "Wrong dose", with: "Fine dose")
        try content.commit("soften", [.write(path, text)], on: "2026-04-11")
        let status = try content.status(asOf: "2026-04-11").articles[0]
        #expect(status.retraction?.reason.hasPrefix("Wrong dose") == true)
        let verify = try content.session().reading.verify(asOf: Day("2026-04-11")!)
        #expect(verify.findings.contains { $0.rule == .recordTampered })
    }

    @Test func recordsWithoutTheNewFieldsEncodeAsBefore() throws {
        let signOff = SignOff(article: "Articles/a.md", blob: "b", sha256: "s", reviewer: "ann", role: "medical", decision: .approve,
                              timestamp: 0, comment: "ok")
        #expect(String(decoding: signOff.canonicalEncoding, as: UTF8.self) == """
            review-signoff/1
            article 13
            Articles/a.md
            blob 1
            b
            sha256 1
            s
            reviewer 3
            ann
            role 7
            medical
            decision 7
            approve
            timestamp 20
            1970-01-01T00:00:00Z
            comment 2
            ok

            """)
        var retraction = signOff
        retraction.decision = .retract
        retraction.reason = "Dangerous."
        #expect(String(decoding: retraction.canonicalEncoding, as: UTF8.self).hasSuffix("comment 2\nok\nreason 10\nDangerous.\n"))
        // Round trip through the file.
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 7, count: 32))
        try retraction.sign(with: key)
        let parsed = try SignOffParser.parse(path: retraction.canonicalPath, bytes: Array(retraction.fileText.utf8)).get()
        #expect(parsed == retraction && parsed.isSigned(by: Array(key.publicKey.rawRepresentation)))
        var noReason = retraction
        noReason.reason = nil
        #expect((try? SignOffParser.parse(path: "r.yml", bytes: Array(noReason.fileText.utf8)).get()) == nil)
    }

    // MARK: Embargo and schedule

    private func scheduled(_ slug: String, _ keys: String) -> String {
        ContentRepository.article(slug, category: .neurology, lastUpdated: "2026-04-07").replacingOccurrences(of: "tags: [a]", with: "tags: [a]\n\(keys)")
    }

    @Test func anEmbargoedArticleIsNowhereUntilItsDay() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "secret": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.commit("schedule", [.write("Articles/secret.md", scheduled("secret", "publish-on: 2026-04-20"))], on: "2026-04-08")
        try approve(content, "pml", on: "2026-04-09")
        try approve(content, "secret", on: "2026-04-09")
        let before = try publish(content, on: "2026-04-19")
        #expect(before.plan.changes.contains(.heldBack(path: "Articles/secret.md", reason: "embargoed until 2026-04-20 (publish-on)")))
        #expect(before.plan.summaryLines.contains("hold     Articles/secret.md: embargoed until 2026-04-20 (publish-on)"))
        for (path, text) in try publishedFiles(content) {
            #expect(!path.text.contains("secret") && !text.contains("secret") && !text.contains("Secret"), "\(path) reveals it")
        }
        let on = try publish(content, on: "2026-04-20")
        #expect(on.plan.entries.map(\.slug) == ["pml", "secret"])
        #expect(try publishedFiles(content)["_site/secret.html"] != nil)
    }

    @Test func unpublishOnTakesTheArticleDownWithTheReason() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "flu": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.commit("schedule", [.write("Articles/flu.md", scheduled("flu", "unpublish-on: 2026-05-01"))], on: "2026-04-08")
        try approve(content, "pml", on: "2026-04-09")
        try approve(content, "flu", on: "2026-04-09")
        #expect(try publish(content, on: "2026-04-30").plan.entries.map(\.slug) == ["flu", "pml"])
        let down = try publish(content, on: "2026-05-01")
        #expect(down.plan.changes.contains(.removed(path: "Articles/flu.md", reason: "unpublished on 2026-05-01 (unpublish-on)")))
        #expect(try publishedFiles(content)["_site/flu.html"] == nil)
    }

    @Test func scheduleKeysAreMappedAndCheckedLikeTheOtherDates() throws {
        var mapping = FrontMatterMapping()
        mapping.publishOn = "embargo"
        let text = "---\ntitle: T\nlast-updated: 2026-04-07\ncategory: neurology\nembargo: 2026-05-01\nunpublish-on: 2026-13-01\n---\nBody.\n"
        let (article, findings) = ArticleParser.parse(path: "Articles/t.md", bytes: Array(text.utf8), frontMatter: mapping)
        #expect(article.publishOn == Day("2026-05-01") && article.unpublishOn == nil)
        #expect(findings.map(\.rule) == [.invalidFrontMatter] && findings.map(\.line) == [6])
        #expect(findings.first?.message.contains("'unpublish-on' must be a real date written YYYY-MM-DD") == true)
        // The policy maps them under front-matter: like the other keys.
        let policy = try PolicyParser.parse(Array((ContentRepository.policy + "front-matter:\n  publish-on: embargo\n  unpublish-on: expires\n").utf8),
                                            disclaimerIDs: ["medical"])
        #expect(policy.frontMatter.publishOn == "embargo" && policy.frontMatter.unpublishOn == "expires")
    }

    @Test func dueListsWhatGoesLiveOrComesDownInTheNext30Days() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "soon": .neurology, "later": .neurology, "flu": .neurology],
                                            reviewers: [.medical("ann"), .editorial("ed")])
        try content.commit("schedule", [
            .write("Articles/soon.md", scheduled("soon", "publish-on: 2026-04-20")),
            .write("Articles/later.md", scheduled("later", "publish-on: 2026-06-20")),
            .write("Articles/flu.md", scheduled("flu", "unpublish-on: 2026-05-01")),
        ], on: "2026-04-08")
        try approve(content, "soon", on: "2026-04-09")
        let queue = try content.session().reading.due(asOf: Day("2026-04-10")!)
        #expect(queue.schedule.map(\.slug) == ["soon", "flu"])
        #expect(queue.schedule.map(\.note) == ["goes live 2026-04-20 (publish-on)", "comes down 2026-05-01 (unpublish-on)"])
        let table = QueueFormat.table.render(queue)
        #expect(table.contains("Scheduled in the next 30 days:\n2026-04-20  goes-live  soon  goes live 2026-04-20 (publish-on)\n"))
        #expect(QueueFormat.json.render(queue).contains("\"comes-down\""))
    }

    // MARK: Change notes and the feed

    private func approve(_ content: ContentRepository, _ slug: String, on day: String, note: String?, roles: [(String, String)] = [("ann", "medical"), ("ed", "editorial")]) throws {
        for (reviewer, role) in roles {
            var request = SignOffRequest(article: slug, reviewer: reviewer, role: role, decision: .approve, comment: "",
                                         timestamp: ContentRepository.time(day))
            request.changeNote = note
            _ = try content.session().decisions.record([request], key: content.key(reviewer)!)
        }
    }

    @Test func pagesShowWhatChangedMostRecentFirstWithALinkToTheFullList() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try approve(content, "pml", on: "2026-04-09", note: "First published.")
        for (i, day) in ["2026-04-10", "2026-04-11", "2026-04-12"].enumerated() {
            try content.edit("pml", lastUpdated: day, body: "Version \(i + 2).")
            try approve(content, "pml", on: day, note: "Change \(i + 2) <b>.")
        }
        // A newer revision approved by one role only: its note is not public yet.
        try content.edit("pml", lastUpdated: "2026-04-13", body: "Version 5.")
        try approve(content, "pml", on: "2026-04-13", note: "Not yet.", roles: [("ann", "medical")])
        _ = try publish(content, on: "2026-04-13")
        let files = try publishedFiles(content)
        let page = try #require(files["_site/pml.html"])
        #expect(!page.contains("Not yet."))
        let what = try #require(page.range(of: "<h2 id=\"what-changed\">What changed</h2>"))
        let shown = String(page[what.upperBound...].prefix(600))
        #expect(shown.contains("Change 4 &lt;b&gt;.") && shown.contains("Change 2"))
        #expect(shown.range(of: "Change 4")!.lowerBound < shown.range(of: "Change 3")!.lowerBound)
        #expect(page.contains("<a href=\"#all-changes\">All 4 changes</a>") && page.contains("First published."))
        #expect(page.contains("\"@type\":\"CorrectionComment\""))
        #expect(try #require(files["published.json"]).contains("\"note\" : \"Change 4 <b>.\"") || files["published.json"]!.contains("Change 4 <b>."))
        // The note is signed with the record.
        let record = try #require(try content.status(asOf: "2026-04-13").articles[0].approvals.last { $0.changeNote == "Change 4 <b>." })
        #expect(record.date == Day("2026-04-12"))
    }

    @Test func aCategoryCanRequireANoteWhenTheReviewedTextChanged() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.commit("notes required", [.write(Policy.path, ContentRepository.policy.replacingOccurrences(
            of: "    disclaimers: [medical]\n", with: "    disclaimers: [medical]\n    change-note: required\n"))], on: "2026-04-08")
        // The first approval needs none.
        try approve(content, "pml", on: "2026-04-09")
        try content.edit("pml", lastUpdated: "2026-04-10", body: "New dose.")
        #expect(throws: ReviewError.self) { try approve(content, "pml", on: "2026-04-10", note: nil, roles: [("ann", "medical")]) }
        #expect(throws: ReviewError.self) { try approve(content, "pml", on: "2026-04-10", note: " ", roles: [("ann", "medical")]) }
        try approve(content, "pml", on: "2026-04-10", note: "Dose updated.")
        #expect(try content.status(asOf: "2026-04-10").articles[0].state == .approved)
        // A bad value is a FILE:LINE error.
        #expect(throws: ReviewError.self) {
            try PolicyParser.parse(Array(ContentRepository.policy.replacingOccurrences(of: "    disclaimers: [medical]\n", with: "    disclaimers: [medical]\n    change-note: always\n").utf8),
                                   disclaimerIDs: ["medical"])
        }
    }

    @Test func theFeedListsNewUpdatedAndWithdrawnPagesAsAtom() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "flu": .neurology, "cold": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.commit("site", [.write(Policy.path, ContentRepository.policy + "site:\n  title: Health & Co\n  base-url: https://health.example/\n")], on: "2026-04-08")
        for slug in ["pml", "flu", "cold"] { try approve(content, slug, on: "2026-04-09") }
        _ = try publish(content, on: "2026-04-09")
        try content.edit("pml", lastUpdated: "2026-04-10", body: "Better.")
        try approve(content, "pml", on: "2026-04-10", note: "Symptoms list updated.")
        try retract(content, "flu", as: "ann", on: "2026-04-11")
        _ = try publish(content, on: "2026-04-11")
        let files = try publishedFiles(content)
        let feed = try #require(files["_site/feed.xml"])
        let document = try XMLDocument(data: Data(feed.utf8))
        let root = try #require(document.rootElement())
        #expect(root.name == "feed" && root.uri == "http://www.w3.org/2005/Atom")
        for name in ["title", "id", "updated", "author"] { #expect(!(root.elements(forName: name)).isEmpty, "feed has \(name)") }
        let entries = root.elements(forName: "entry")
        #expect(entries.count == 3)
        for entry in entries {
            for name in ["id", "title", "updated", "link"] { #expect(!entry.elements(forName: name).isEmpty, "entry has \(name)") }
        }
        let titles = entries.compactMap { $0.elements(forName: "title").first?.stringValue }
        #expect(titles == ["Withdrawn: Flu", "Updated: Pml", "New: Cold"])
        #expect(entries[1].elements(forName: "summary").first?.stringValue == "Symptoms list updated.")
        #expect(entries[0].elements(forName: "summary").first?.stringValue?.hasPrefix("Withdrawn on 2026-04-11: Wrong dose") == true)
        #expect(root.elements(forName: "updated").first?.stringValue == "2026-04-11T00:00:00Z")
        // The sitemap keeps the withdrawn page, dated the day it was withdrawn.
        #expect(try #require(files["_site/sitemap.xml"]).contains("<loc>https://health.example/flu.html</loc><lastmod>2026-04-11</lastmod>"))
    }
}

