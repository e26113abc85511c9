import Paths
@testable import ReviewCore
import Testing

/// Issue 33: the published site as a health publisher would ship it. Pure: manifests in,
/// files out, the same bytes for the same inputs.
@Suite struct SiteRendererTests {
    static func article(_ slug: String, title: String, category: String, authors: [String]? = nil) -> PublishedManifest.Article {
        var a = PublishedManifest.Article(
            path: GitPath("Articles/\(slug).md"), slug: slug, title: title, category: category, revision: String(repeating: "a", count: 40),
            lastUpdated: Day("2026-04-07"), lastReviewed: Day("2026-04-09")!, nextReviewDue: Day("2027-04-09"),
            reviewers: [.init(id: "ann", name: "Dr Ann <Medic>", credentials: "MD", role: "medical", date: Day("2026-04-09")!),
                        .init(id: "ed", name: "Ed", credentials: "MSc", role: "editorial", date: Day("2026-04-10")!)])
        a.authors = authors
        a.summary = "What \(title) is."
        return a
    }

    @Test(arguments: [("en", "9 April 2026"), ("en-GB", "9 April 2026"), ("en-US", "April 9, 2026"), ("fr", "9 avril 2026"),
                      ("de-DE", "9. April 2026"), ("es", "9 de abril de 2026"), ("ja", "2026-04-09")])
    func datesAreWrittenInTheSitesLanguage(language: String, expected: String) {
        #expect(SiteRenderer.humanDate(Day("2026-04-09")!, language: language) == expected)
    }

    @Test func pagesNameRolesAuthorsAndHumanDates() throws {
        var site = Policy.Site(title: "Example Health")
        let manifest = PublishedManifest(articles: [Self.article("pml", title: "PML", category: "neurology", authors: ["Dana <W>", "Sam"])], site: site)
        let page = try #require(SiteRenderer.render(manifest, bodies: ["Articles/pml.md": "Text."])["pml.html"])
        #expect(page.contains("<p class=\"byline\">Written by Dana &lt;W&gt; and Sam</p>"))
        #expect(page.contains("Medically reviewed by Dr Ann &lt;Medic&gt;, MD on <time datetime=\"2026-04-09\">9 April 2026</time>"))
        #expect(page.contains("Edited by Ed, MSc on <time datetime=\"2026-04-10\">10 April 2026</time>"))
        #expect(page.contains("Last updated <time datetime=\"2026-04-07\">7 April 2026</time>"))
        #expect(!page.contains("Reviewed (editorial)"))
        #expect(page.contains("<a href=\"index.html#section-neurology\">Neurology</a>"))
        // The policy's labels win; a reviewer in two roles is named once with both.
        site.roleLabels = ["editorial": "Fact-checked by"]
        site.logo = "Reviews/site/logo.svg"
        var both = Self.article("pml", title: "PML", category: "neurology")
        both.reviewers = [.init(id: "ann", name: "Ann", credentials: "", role: "medical, editorial", date: Day("2026-04-09")!)]
        let labelled = SiteRenderer.page(both, body: "Text.", site: site)
        #expect(labelled.contains("Medically reviewed and fact-checked by Ann on"))
        #expect(labelled.contains("<img class=\"logo\" src=\"logo.svg\" alt=\"\"/><span>Example Health</span>"))
        #expect(SiteRenderer.logoFile(site) == "logo.svg")
    }

    /// Non-English pages (issue 33): `site: words:` gives every fixed phrase in the site's
    /// language, dates follow `language`, and a phrase not named stays in English.
    @Test func aSiteSaysItsFixedPhrasesInItsOwnLanguage() throws {
        let policy = try PolicyParser.parse(Array("""
            roles: [medical, editorial]
            categories:
              neurology: { required-roles: [medical], review-interval-days: 365, due-soon-days: 30 }
            site:
              language: de
              role-labels: { medical: Medizinisch geprüft von }
              words:
                on: am
                last-updated: Zuletzt aktualisiert
                next-review-due: Nächste Prüfung fällig
                overdue-notice: "Diese Seite hätte am {date} geprüft werden sollen."
                all-articles: Alle Artikel

            """.utf8), disclaimerIDs: [])
        var article = Self.article("pml", title: "PML", category: "neurology")
        article.overdueSince = Day("2027-04-09")
        let page = SiteRenderer.page(article, body: "Text.", site: policy.site)
        #expect(page.contains("Medizinisch geprüft von Dr Ann &lt;Medic&gt;, MD am <time datetime=\"2026-04-09\">9. April 2026</time>"), "\(page)")
        #expect(page.contains("Zuletzt aktualisiert <time datetime=\"2026-04-07\">7. April 2026</time>"))
        #expect(page.contains("Diese Seite hätte am <time datetime=\"2027-04-09\">9. April 2027</time> geprüft werden sollen."))
        #expect(page.contains("<strong>Review overdue.</strong>"))  // not named: the English default
        #expect(SiteRenderer.index([article], site: policy.site).contains("<h1>Alle Artikel</h1>"))
        // An unknown phrase key is refused with its line and the keys there are.
        #expect {
            try PolicyParser.parse(Array("roles: [medical]\ncategories: {}\nsite:\n  words:\n    last-updatd: Zuletzt\n".utf8), disclaimerIDs: [])
        } throws: { error in
            let text = "\(error)"
            return text.contains(":5:") && text.contains("last-updatd") && text.contains("last-updated")
        }
    }

    @Test func theIndexGroupsArticlesBySectionWithReviewDates() throws {
        var site = Policy.Site(title: "Example Health")
        site.sections = ["neurology": "Brain & nerves"]
        let manifest = PublishedManifest(articles: [Self.article("pml", title: "PML", category: "neurology"),
                                                    Self.article("shingles", title: "Shingles", category: "infectious-disease"),
                                                    Self.article("ms", title: "MS", category: "neurology")], site: site)
        let index = try #require(SiteRenderer.render(manifest, bodies: [:])["index.html"])
        #expect(!index.contains(">neurology<") && !index.contains(">infectious-disease<"))
        let brain = try #require(index.range(of: "<h2 id=\"section-neurology\">Brain &amp; nerves</h2>"))
        let infections = try #require(index.range(of: "<h2 id=\"section-infectious-disease\">Infectious disease</h2>"))
        #expect(brain.lowerBound < infections.lowerBound, "sections in the order of their names")
        let ms = try #require(index.range(of: ">MS</a>")), pml = try #require(index.range(of: ">PML</a>"))
        #expect(brain.upperBound < ms.lowerBound && ms.lowerBound < pml.lowerBound)
        #expect(index.contains("Medically reviewed by Dr Ann &lt;Medic&gt; on <time datetime=\"2026-04-09\">9 April 2026</time>"))
        #expect(index.contains("<p class=\"summary\">What PML is.</p>"))
    }

    @Test func theRepositoryMayReplaceTheStylesheetAndTheBytesAreStable() {
        let manifest = PublishedManifest(articles: [Self.article("pml", title: "PML", category: "neurology")], site: Policy.Site())
        #expect(SiteRenderer.render(manifest, bodies: [:], stylesheet: "body { color: navy; }")["style.css"] == "body { color: navy; }")
        #expect(SiteRenderer.render(manifest, bodies: [:])["style.css"] == SiteRenderer.style)
        #expect(SiteRenderer.render(manifest, bodies: ["Articles/pml.md": "Text."]) == SiteRenderer.render(manifest, bodies: ["Articles/pml.md": "Text."]))
        // The footer is Markdown, rendered as bodies are: no raw HTML passes.
        let files = SiteRenderer.render(manifest, bodies: [:], footer: "[About us](https://example.org/about) · [PML](../../Articles/pml.md) · <script>alert(1)</script>")
        for name in ["index.html", "pml.html"] {
            let page = files[name] ?? ""
            #expect(page.contains("<footer class=\"site\">\n<p><a href=\"https://example.org/about\">About us</a> · <a href=\"pml.html\">PML</a>"), "\(name)")
            #expect(!page.contains("<script>alert"), "\(name)")
        }
    }
}
