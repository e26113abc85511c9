import Paths
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import GitKit
import PropertyBased
import ReviewCore
import ReviewKit
import Testing
import TestSupport

@Suite struct PublishTests {
    private let author = Signature(name: "Publisher", email: "pub@example.org", time: 1_800_000_000)

    private func published(_ content: ContentRepository) throws -> [GitPath: ObjectID] {
        guard let commit = try content.repository.referenceTarget(Publisher.reference) else { return [:] }
        let files = try content.repository.files(under: "Articles", inTree: content.repository.commit(commit).tree)
        return Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.id) })
    }

    @Test func approvedRevisionsArePublishedAndLaterEditsStayOut() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "draft": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let nothing = try Publisher.publish(repository: content.repository, asOf: Day("2026-04-08")!, dryRun: false, author: author)
        #expect(nothing.plan.entries.isEmpty)
        #expect(nothing.commit == nil)
        #expect(try content.repository.referenceTarget(Publisher.reference) == nil)

        let approvedBlob = try #require(try content.repository.entry(at: "Articles/pml.md", inCommit: content.repository.headCommit())).id
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        let first = try Publisher.publish(repository: content.repository, asOf: Day("2026-04-10")!, dryRun: false, author: author)
        #expect(first.commit != nil)
        #expect(try published(content) == ["Articles/pml.md": approvedBlob])

        // An unapproved edit: the approved revision stays published; publishing again changes nothing.
        try content.edit("pml", lastUpdated: "2026-05-01", body: "Unreviewed words.")
        let again = try Publisher.publish(repository: content.repository, asOf: Day("2026-05-02")!, dryRun: false, author: author)
        #expect(again.upToDate && again.commit == nil)
        #expect(try published(content) == ["Articles/pml.md": approvedBlob])
        #expect(try content.status(asOf: "2026-05-02").articles.first { $0.slug == "pml" }?.state == .inReview)

        // Overdue: by default the page stays up, with a visible notice (never silently).
        let late = try Publisher.publish(repository: content.repository, asOf: Day("2027-06-01")!, dryRun: false, author: author)
        #expect(late.plan.entries.map(\.overdueSince) == [Day("2027-04-09")])
        #expect(late.plan.summaryLines.contains { $0.contains("review overdue since 2027-04-09") })
        #expect(try published(content) == ["Articles/pml.md": approvedBlob])
        // A category that says 'when-overdue: unpublish' takes it down.
        try content.commit("unpublish overdue pages", [.write(Policy.path, ContentRepository.policy.replacingOccurrences(
            of: "    disclaimers: [medical]\n", with: "    disclaimers: [medical]\n    when-overdue: unpublish\n"))], on: "2027-06-01")
        let down = try Publisher.publish(repository: content.repository, asOf: Day("2027-06-01")!, dryRun: false, author: author)
        #expect(down.plan.changes.contains(.removed(path: "Articles/pml.md", reason: "review overdue since 2027-04-09 (when-overdue: unpublish)")))
        #expect(try published(content).isEmpty)
        // Each publish commit has the previous one as parent.
        let log = try Git.run(["rev-list", "--count", "refs/heads/published"], in: content.path)
        #expect(log.trimmingCharacters(in: .whitespacesAndNewlines) == "3")
    }

    @Test func theCurrentRevisionCountsWhenOnlyUnreviewedFieldsChanged() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        try content.edit("pml", lastUpdated: "2026-04-07", on: "2026-04-12", body: "Text.", tags: "[a, b]")
        let current = try #require(try content.repository.entry(at: "Articles/pml.md", inCommit: content.repository.headCommit())).id
        _ = try Publisher.publish(repository: content.repository, asOf: Day("2026-04-13")!, dryRun: false, author: author)
        #expect(try published(content)["Articles/pml.md"] == current)
    }

    @Test func retiredAndDisclaimerlessArticlesStayOut() throws {
        let content = try ContentRepository(articles: ["gone": .neurology, "bare": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.commit("retire and strip", [
            .write("Articles/gone.md", ContentRepository.article("gone", category: .neurology, lastUpdated: "2026-04-07").replacingOccurrences(of: "tags: [a]", with: "tags: [a]\nstatus: retired")),
            .write("Articles/bare.md", "---\ntitle: Bare\nlast-updated: 2026-04-07\ncategory: neurology\n---\nNo disclaimer.\n"),
        ], on: "2026-04-07")
        for slug in ["gone", "bare"] {
            try content.writeRecord(slug, as: "ann", role: "medical", on: "2026-04-09")
            try content.writeRecord(slug, as: "ed", role: "editorial", on: "2026-04-09")
        }
        let outcome = try Publisher.publish(repository: content.repository, asOf: Day("2026-04-10")!, dryRun: true, author: author)
        #expect(outcome.plan.entries.isEmpty)
        #expect(outcome.plan.summaryLines.sorted() == [
            "hold     Articles/bare.md: the approved revision lacks the 'medical' disclaimer",
            "hold     Articles/gone.md: retired (status: retired)",
        ])
        #expect(try content.repository.referenceTarget(Publisher.reference) == nil)
    }

    /// Random edits, sign-offs and publishes: every blob on the published ref was approved by
    /// every required role, and nothing after it in signing order asked for changes.
    @Test func thePublishedTreeNeverHoldsAnUnapprovedBlob() async throws {
        await propertyCheck(count: 8, input: Gen.uint64()) { seed in
            do {
                try Self.randomSession(seed: seed)
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    static func randomSession(seed: UInt64) throws {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let content = try ContentRepository(articles: ["a": .neurology, "b": .neurology, "c": .general],
                                            reviewers: [.medical("ann"), .editorial("ed"), .medical("mo")])
        var day = Day("2026-04-08")!
        let author = Signature(name: "P", email: "p@example.org", time: 1_800_000_000)
        for _ in 0..<14 {
            day = day.adding(days: 1)
            let slug = ["a", "b", "c"][next(3)]
            switch next(4) {
            case 0:
                try content.edit(slug, category: slug == "c" ? .general : .neurology, lastUpdated: day.description, body: "Text \(next(1000)).")
            case 1, 2:
                let (who, role) = [("ann", "medical"), ("ed", "editorial"), ("mo", "medical")][next(3)]
                let decision: SignOff.Decision = next(4) == 0 ? .requestChanges : .approve
                _ = try? content.signOff(slug, as: who, role: role, decision, on: day.description, comment: "c")
            default:
                _ = try Publisher.publish(repository: content.repository, asOf: day, dryRun: false, author: author)
            }
        }
        // Check every published blob against the records at HEAD.
        let report = try content.status(asOf: day.description)
        guard let commit = try content.repository.referenceTarget(Publisher.reference) else { return }
        let tree = try content.repository.commit(commit).tree
        for file in try content.repository.files(under: "Articles", inTree: tree) {
            let status = try #require(report.articles.first { $0.path == file.path })
            let required = file.path.hasSuffix("/c.md") ? ["editorial"] : ["medical", "editorial"]
            let onBlob = status.approvals.filter { $0.revision == file.id.hex || ($0.current && status.revision == file.id.hex) }
            for role in required {
                #expect(onBlob.contains { $0.role == role }, "seed \(seed): \(file.path) @ \(file.id.short) lacks \(role)")
            }
        }
    }

    @Test func pagesAreWellFormedWithJSONLDAndInertTitles() throws {
        let article = PublishedManifest.Article(
            path: "Articles/x.md", slug: "x", title: "Evil <script>alert('x')</script> & \"quotes\"", category: "neurology",
            revision: String(repeating: "a", count: 40), lastUpdated: Day("2026-04-07"), lastReviewed: Day("2026-04-10")!,
            nextReviewDue: Day("2027-04-10"),
            reviewers: [.init(id: "ann", name: "Dr Ann </script><b>", credentials: "MD, neurology", role: "medical", date: Day("2026-04-09")!)])
        let body = "# Title\n\nText with <img src=x onerror=alert(1)> and [a link](javascript:alert(1)) and [ok](https://example.org).\n\n- one\n- two\n\n\(ContentRepository.disclaimer)\n"
        let files = SiteRenderer.render(PublishedManifest(articles: [article]), bodies: ["Articles/x.md": body])
        let page = try #require(files["x.html"])
        #expect(!page.contains("<script>alert"))
        #expect(!page.contains("<img"))
        #expect(!page.contains("javascript:"))
        #expect(page.contains("<a href=\"https://example.org\">ok</a>"))
        #expect(page.contains("Medically reviewed by Dr Ann &lt;/script&gt;&lt;b&gt;, MD, neurology on <time datetime=\"2026-04-09\">9 April 2026</time>"))
        // Well formed: every page parses as XML.
        for (name, text) in files where name.hasSuffix(".html") {
            #expect(throws: Never.self) { try XMLDocument(data: Data(text.utf8)) }
        }
        let xml = try XMLDocument(data: Data(page.utf8))
        let script = try #require(try xml.nodes(forXPath: "//script[@type='application/ld+json']").first?.stringValue)
        let ld = try #require(try JSONSerialization.jsonObject(with: Data(script.utf8)) as? [String: Any])
        #expect(ld["@type"] as? String == "MedicalWebPage")
        #expect(ld["name"] as? String == article.title)
        #expect(ld["dateModified"] as? String == "2026-04-07")
        #expect(ld["lastReviewed"] as? String == "2026-04-10")
        let reviewer = try #require((ld["reviewedBy"] as? [[String: Any]])?.first)
        #expect(reviewer["@type"] as? String == "Person")
        #expect((reviewer["hasCredential"] as? [String: Any])?["name"] as? String == "MD, neurology")
        let items = try xml.nodes(forXPath: "//li")
        #expect(items.map { $0.stringValue } == ["one", "two"])
    }

    @Test func aFailedRenderLeavesThePreviousSite() throws {
        let dir = TemporaryDirectory()
        let site = dir.file("site")
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        _ = try Publisher.publish(repository: content.repository, asOf: Day("2026-04-10")!, dryRun: false, author: author)
        #expect(try Publisher.renderSite(repository: content.repository, to: site) == 1)
        let before = try String(contentsOfFile: site + "/pml.html", encoding: .utf8)
        // A site whose parent directory is a file cannot be written; the old one must survive.
        try "x".write(toFile: dir.file("blocker"), atomically: true, encoding: .utf8)
        #expect(throws: ReviewError.self) { try Publisher.renderSite(repository: content.repository, to: dir.file("blocker/site")) }
        #expect(try String(contentsOfFile: site + "/pml.html", encoding: .utf8) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }
}
