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

/// Publishing never silently empties the site, never lets one page overwrite another, and
/// renders pages readers can trust (issue 16).
@Suite struct PublishSafetyTests {
    static let asOf = "2026-04-20"

    private func approvedSite(_ slugs: [String], on day: String = "2026-04-09") throws -> ContentRepository {
        let content = try ContentRepository(articles: Dictionary(uniqueKeysWithValues: slugs.map { ($0, .neurology) }),
                                            reviewers: [.medical("ann"), .editorial("ed")])
        for slug in slugs {
            try content.signOff(slug, as: "ann", role: "medical", on: day)
            try content.signOff(slug, as: "ed", role: "editorial", on: day)
        }
        return content
    }

    private func publish(_ content: ContentRepository, asOf: String = asOf, allowRemovals: Bool = false) throws -> Publisher.Outcome {
        try content.session().publishing.publish(asOf: Day(asOf)!, dryRun: false, now: ContentRepository.time(asOf), allowRemovals: allowRemovals)
    }

    @Test func takingDownMoreThanTheAllowedShareIsRefusedAndMovesNothing() throws {
        let content = try approvedSite(["a", "b", "c", "d", "e"])
        let first = try publish(content)
        #expect(first.plan.entries.count == 5)
        let before = try content.repository.referenceTarget(Publisher.reference)
        try content.commit("remove two", [.remove("Articles/a.md"), .remove("Articles/b.md")], on: "2026-04-15")
        let refused = try publish(content)
        #expect(refused.refusal?.contains("take down 2 of 5") == true)
        #expect(refused.commit == nil)
        #expect(try content.repository.referenceTarget(Publisher.reference) == before)
        let allowed = try publish(content, allowRemovals: true)
        #expect(allowed.commit != nil && allowed.plan.entries.count == 3)
        // One article may always come down.
        try content.commit("remove one", [.remove("Articles/c.md")], on: "2026-04-16")
        #expect(try publish(content).refusal == nil)
    }

    @Test func noArticleTakesAGeneratedPageOrAnotherArticlesPage() throws {
        let content = try approvedSite(["pml"])
        try content.commit("collisions", [
            .write("Articles/index.md", ContentRepository.article("index", category: .neurology, lastUpdated: "2026-04-07")),
            .write("Articles/more/pml.md", ContentRepository.article("pml", category: .neurology, lastUpdated: "2026-04-07")),
        ], on: "2026-04-10")
        try content.signOff("index", as: "ann", role: "medical", on: "2026-04-11")
        try content.signOff("index", as: "ed", role: "editorial", on: "2026-04-11")
        let plan = try publish(content).plan
        #expect(plan.entries.isEmpty)
        #expect(plan.summaryLines.contains { $0.contains("Articles/index.md") && $0.contains("names a page the site generates") })
        #expect(plan.summaryLines.contains { $0.contains("Articles/pml.md") && $0.contains("another article has the page name 'pml'") })
    }

    @Test func aRecordThatDoesNotCountKeepsTheArticleBack() throws {
        let content = try approvedSite(["pml"])
        try content.writeRecord("pml", as: "ann", role: "medical", on: "2026-04-10", signer: "ed")  // a forged signature
        let plan = try publish(content).plan
        #expect(plan.entries.isEmpty)
        #expect(plan.summaryLines.contains { $0.contains("bad-signature") })
    }

    /// A legal change to the disclaimer is one change: no approval is lost, nothing is taken
    /// down, and every page shows the new wording in place of the old.
    @Test func aDisclaimerWordingChangeKeepsApprovalsAndShowsTheNewWording() throws {
        let content = try approvedSite(["pml", "ms"])
        #expect(try publish(content).plan.entries.count == 2)
        let wording = "Medical disclaimer: this page is general information and not a substitute for medical advice."
        try content.commit("legal update", [.write("Reviews/disclaimers/medical.md", wording + "\n")], on: "2026-04-15")
        let report = try content.status(asOf: Self.asOf)
        for article in report.articles {
            #expect(article.state == .published || article.state == .approved)
            #expect(article.findings.map(\.rule) == [.outdatedDisclaimer])
        }
        let outcome = try publish(content)
        #expect(outcome.plan.entries.count == 2)
        let site = TemporaryDirectory()
        _ = try content.session().publishing.renderSite(to: site.path + "/site")
        let page = try String(contentsOfFile: site.path + "/site/pml.html", encoding: .utf8)
        #expect(page.contains("not a substitute for medical advice"))
        #expect(!page.contains(ContentRepository.disclaimer))
        #expect(page.contains("<aside class=\"disclaimer\" aria-label=\"Disclaimer\">"))
    }

    @Test func pagesNameEachReviewerOnceMedicalFirstWithDatesTheSiteAndSitemap() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "ms": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let policy = ContentRepository.policy + "site:\n  title: Example Health\n  language: en-GB\n  base-url: https://health.example.org\n"
        let body = "Text that links to [MS](../ms.md#signs)."
        try content.commit("site and summary", [
            .write(Policy.path, policy),
            .write("Articles/pml.md", ContentRepository.article("pml", category: .neurology, lastUpdated: "2026-04-07", body: body)
                .replacingOccurrences(of: "tags: [a]\n", with: "tags: [a]\nsummary: \"What PML is.\"\n")),
        ], on: "2026-04-08")
        for slug in ["pml", "ms"] {
            try content.signOff(slug, as: "ed", role: "editorial", on: "2026-04-09")
            try content.signOff(slug, as: "ann", role: "medical", on: "2026-04-10")
        }
        _ = try publish(content)
        let site = TemporaryDirectory()
        _ = try content.session().publishing.renderSite(to: site.path + "/site")
        let page = try String(contentsOfFile: site.path + "/site/pml.html", encoding: .utf8)
        let xml = try XMLDocument(data: Data(page.utf8))
        let reviewed = try xml.nodes(forXPath: "//p[@class='reviewed']").map { $0.stringValue ?? "" }
        #expect(reviewed == ["Medically reviewed by Ann, MD on 10 April 2026", "Edited by Ed, Editor on 9 April 2026"])
        #expect(try xml.nodes(forXPath: "//p[@class='reviewed']/time/@datetime").map { $0.stringValue } == ["2026-04-10", "2026-04-09"])
        #expect(try xml.nodes(forXPath: "//html/@lang").first?.stringValue == "en-GB")
        #expect(try xml.nodes(forXPath: "//meta[@name='description']/@content").first?.stringValue == "What PML is.")
        #expect(try xml.nodes(forXPath: "//a[text()='MS']/@href").first?.stringValue == "ms.html#signs")
        #expect(try xml.nodes(forXPath: "//aside[@class='disclaimer']").first?.stringValue?.contains("not medical advice") == true)
        #expect(try xml.nodes(forXPath: "//article/p").allSatisfy { $0.stringValue?.contains("Medical disclaimer") != true })

        let script = try #require(try xml.nodes(forXPath: "//script[@type='application/ld+json']").first?.stringValue)
        let ld = try #require(try JSONSerialization.jsonObject(with: Data(script.utf8)) as? [String: Any])
        #expect(ld["url"] as? String == "https://health.example.org/pml.html")
        #expect(ld["description"] as? String == "What PML is.")
        #expect(ld["inLanguage"] as? String == "en-GB")
        #expect(ld["datePublished"] as? String == Self.asOf)
        #expect((ld["reviewedBy"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Ann"])
        #expect((ld["editor"] as? [[String: Any]])?.map { $0["name"] as? String } == ["Ed"])

        let sitemap = try XMLDocument(data: Data(contentsOf: URL(fileURLWithPath: site.path + "/site/sitemap.xml")))
        let lastmod = try sitemap.nodes(forXPath: "//*[local-name()='loc'][text()='https://health.example.org/pml.html']/../*[local-name()='lastmod']")
        #expect(lastmod.first?.stringValue == ld["dateModified"] as? String)
    }

    @Test func filesAnArticleLinksArePublishedBesideItsPage() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann"), .editorial("ed")])
        let image: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 1, 2, 0xFF]
        let body = "An MRI: ![MRI of the brain](images/mri.png)\n\nThe [leaflet](../leaflets/pml%20leaflet.pdf#page=2) and a [missing file](gone.png)."
        try content.commit("an article with files", [
            .write("Articles/neurology/pml.md", ContentRepository.article("pml", category: .neurology, lastUpdated: "2026-04-07", body: body)),
            FileChange(path: "Articles/neurology/images/mri.png", contents: image),
            .write("Articles/leaflets/pml leaflet.pdf", "%PDF-1.4 leaflet\n"),
        ], on: "2026-04-08")
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        // Files beside the articles are assets, not findings; a link to nothing is (issue 17).
        let report = try content.status(asOf: Self.asOf)
        #expect(report.otherFindings.map(\.rule) == [.ungovernedConfiguration])
        let broken = report.articles.first?.findings.filter { $0.rule == .brokenLink } ?? []
        #expect(broken.map(\.message).allSatisfy { $0.contains("gone.png") } && broken.count == 1, "\(broken)")
        _ = try publish(content)
        let site = TemporaryDirectory()
        _ = try content.session().publishing.renderSite(to: site.path + "/site")
        #expect(FileManager.default.contents(atPath: site.path + "/site/assets/neurology/images/mri.png") == Data(image))
        #expect(FileManager.default.fileExists(atPath: site.path + "/site/assets/leaflets/pml leaflet.pdf"))
        let page = try String(contentsOfFile: site.path + "/site/pml.html", encoding: .utf8)
        #expect(page.contains("<img src=\"assets/neurology/images/mri.png\" alt=\"MRI of the brain\"/>"))
        #expect(page.contains("<a href=\"assets/leaflets/pml%20leaflet.pdf#page=2\">leaflet</a>"))
    }

    /// Issue 33: the repository brands its site: its own stylesheet (`Reviews/site/style.css`)
    /// and the logo the policy names go onto the published ref and into the site.
    @Test func theSiteTakesTheRepositorysStylesheetAndLogo() throws {
        let content = try approvedSite(["pml"])
        let policy = ContentRepository.policy + "site:\n  title: Example Health\n  logo: Reviews/site/logo.svg\n"
        try content.commit("brand the site", [.write(Policy.path, policy), .write("Reviews/site/style.css", "body { color: navy; }\n"),
                                              .write("Reviews/site/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"),
                                              .write("Reviews/site/footer.md", "Example Health · [Editorial policy](https://health.example.org/policy)\n")], on: "2026-04-10")
        _ = try publish(content)
        let site = TemporaryDirectory()
        _ = try content.session().publishing.renderSite(to: site.path + "/site")
        #expect(try String(contentsOfFile: site.path + "/site/style.css", encoding: .utf8) == "body { color: navy; }\n")
        #expect(FileManager.default.fileExists(atPath: site.path + "/site/logo.svg"))
        let page = try String(contentsOfFile: site.path + "/site/pml.html", encoding: .utf8)
        #expect(page.contains("<img class=\"logo\" src=\"logo.svg\" alt=\"\"/><span>Example Health</span>"))
        #expect(page.contains("<footer class=\"site\">\n<p>Example Health · <a href=\"https://health.example.org/policy\">Editorial policy</a></p>"))
        // A logo the policy names but the repository lacks: nothing is published.
        try content.commit("lose the logo", [.remove("Reviews/site/logo.svg")], on: "2026-04-11")
        #expect {
            try publish(content, asOf: "2026-04-12")
        } throws: { error in
            (error as? ReviewError)?.description.contains("the site's logo 'Reviews/site/logo.svg' is not a file of the configuration in force") == true
        }
    }

    @Test func anOverduePageStaysWithAVisibleNotice() throws {
        let content = try approvedSite(["pml"])
        _ = try publish(content, asOf: "2027-05-01")
        let site = TemporaryDirectory()
        _ = try content.session().publishing.renderSite(to: site.path + "/site")
        let page = try String(contentsOfFile: site.path + "/site/pml.html", encoding: .utf8)
        #expect(page.contains("<p class=\"overdue\" role=\"note\"><strong>Review overdue.</strong> This page was due for medical review on <time datetime=\"2027-04-09\">"))
        let index = try String(contentsOfFile: site.path + "/site/index.html", encoding: .utf8)
        #expect(index.contains("Review overdue"))
    }
}
