import Paths
import Foundation

/// Renders the published articles to static HTML: an index and one page per article. Pure.
///
/// Every value from front matter and records is escaped; bodies go through ``MarkdownHTML``,
/// which never passes raw HTML through; the JSON-LD escapes `<`, `>` and `&`.
public enum SiteRenderer {
    /// File name → contents.
    ///
    /// - Parameter bundles: slugs whose pages have a verification bundle beside them
    ///   (`<slug>.bundle.json`); their JSON-LD points to it.
    /// - Parameter content: where articles live (links between them lead to their pages).
    public static func render(_ manifest: PublishedManifest, bodies: [GitPath: String], bundles: Set<String> = [],
                              content: ContentRoots = ContentRoots()) -> [String: String] {
        let site = manifest.site ?? Policy.Site()
        var files: [String: String] = ["style.css": style]
        let sorted = manifest.articles.sorted { $0.title.localizedCaseInsensitiveCompare($1.title) == .orderedAscending }
        files["index.html"] = index(sorted, site: site)
        for article in sorted {
            files["\(article.slug).html"] = page(article, body: bodies[article.path] ?? "", site: site, bundle: bundles.contains(article.slug), content: content)
        }
        if let sitemap = sitemap(sorted, site: site) { files["sitemap.xml"] = sitemap }
        return files
    }

    static func e(_ text: String) -> String { MarkdownHTML.escape(text) }

    static func head(_ title: String, site: Policy.Site, description: String? = nil, extra: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="\(e(site.language))">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(e(title))</title>
        \(description.map { "<meta name=\"description\" content=\"\(e($0))\"/>\n" } ?? "")<link rel="stylesheet" href="style.css"/>
        \(extra)</head>
        """
    }

    /// "Dr Amara Okafor, MD, neurology"
    static func who(_ reviewer: PublishedManifest.Reviewer) -> String {
        reviewer.credentials.isEmpty ? reviewer.name : "\(reviewer.name), \(reviewer.credentials)"
    }

    /// A date as readers see it, machine-readable and never wrapped mid-date.
    static func time(_ day: Day) -> String { "<time datetime=\"\(day)\">\(day)</time>" }

    static func index(_ articles: [PublishedManifest.Article], site: Policy.Site) -> String {
        var rows = ""
        for a in articles {
            let reviewed = a.reviewers.filter(\.isMedical).map(who)
            rows += "<tr><td><a href=\"\(e(a.slug)).html\">\(e(a.title))</a>"
                + (a.overdueSince != nil ? " <span class=\"overdue-tag\">review overdue</span>" : "") + "</td><td>\(e(a.category))</td>"
                + "<td>\(a.lastUpdated.map(time) ?? "")</td>"
                + "<td>\(e((reviewed.isEmpty ? a.reviewers.map(who) : reviewed).joined(separator: "; ")))</td></tr>\n"
        }
        return head(site.title, site: site) + """
            <body>
            <main>
            <h1>\(e(site.title))</h1>
            <table>
            <thead><tr><th scope="col">Article</th><th scope="col">Category</th><th scope="col">Last updated</th><th scope="col">Reviewed by</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            </main>
            </body>
            </html>

            """
    }

    static func page(_ a: PublishedManifest.Article, body: String, site: Policy.Site, bundle: Bool = false,
                     content: ContentRoots = ContentRoots()) -> String {
        // The body's own first-level heading repeats the title shown above it.
        var markdown = body
        if let first = body.lines().first(where: { !$0.trimmingSpaces().isEmpty }), first.hasPrefix("# ") {
            markdown = body.replacingOccurrences(of: String(first), with: "", options: [], range: body.range(of: String(first)))
        }
        // The disclaimers are set apart in their own region, in their current wording, in place
        // of the paragraphs the reviewers saw.
        let disclaimers = a.disclaimers ?? []
        if !disclaimers.isEmpty {
            let wordings = Set(disclaimers.flatMap { [$0.text, $0.replaces].compactMap { $0.map(StructureRules.normalized) } })
            markdown = markdown.components(separatedBy: "\n\n").filter { !wordings.contains(StructureRules.normalized($0)) }
                .joined(separator: "\n\n")
        }
        let reviewLines = a.reviewers.map { r in
            "<p class=\"reviewed\">\(r.isMedical ? "Medically reviewed by" : "Reviewed (\(e(r.role))) by") \(e(who(r))) on \(time(r.date))</p>"
        }.joined(separator: "\n")
        let dates = "<p class=\"dates\">Last updated \(a.lastUpdated.map(time) ?? "unknown")"
            + (a.nextReviewDue.map { " · Next review due \(time($0))" } ?? "") + "</p>"
        let overdue = a.overdueSince.map {
            "<p class=\"overdue\" role=\"note\"><strong>Review overdue.</strong> This page was due for medical review on \(time($0)); "
                + "its content may be out of date.</p>\n"
        } ?? ""
        let aside = disclaimers.isEmpty ? "" : "<aside class=\"disclaimer\" aria-label=\"Disclaimer\">\n"
            + disclaimers.map { MarkdownHTML.render($0.text) }.joined() + "</aside>\n"
        return head("\(a.title) · \(site.title)", site: site, description: a.summary,
                    extra: "<script type=\"application/ld+json\">\(jsonLD(a, site: site, bundle: bundle))</script>\n") + """
            <body>
            <header><a href="index.html">\(e(site.title))</a></header>
            <main>
            <article>
            <h1>\(e(a.title))</h1>
            \(reviewLines)
            \(dates)
            \(overdue)\(MarkdownHTML.render(markdown, links: SiteLinks(articlePath: a.path, content: content)))
            \(aside)</article>
            </main>
            </body>
            </html>

            """
    }

    /// `sitemap.xml`, when the policy gives the site's base URL: each page with `lastmod` equal
    /// to its JSON-LD `dateModified`.
    static func sitemap(_ articles: [PublishedManifest.Article], site: Policy.Site) -> String? {
        guard let base = site.baseURL else { return nil }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for a in articles {
            out += "  <url><loc>\(XMLEscaping.escape(base + a.slug + ".html"))</loc>"
                + (a.lastUpdated.map { "<lastmod>\($0)</lastmod>" } ?? "") + "</url>\n"
        }
        return out + "</urlset>\n"
    }

    struct LD: Encodable {
        struct Credential: Encodable {
            let type = "EducationalOccupationalCredential"
            let name: String
            enum CodingKeys: String, CodingKey { case type = "@type", name }
        }
        struct Person: Encodable {
            let type = "Person"
            let name: String
            let hasCredential: Credential?
            enum CodingKeys: String, CodingKey { case type = "@type", name, hasCredential }
        }
        let context = "https://schema.org"
        let type = "MedicalWebPage"
        let name: String
        let url: String?
        let description: String?
        let inLanguage: String
        let datePublished: String?
        let dateModified: String?
        let lastReviewed: String
        let reviewedBy: [Person]
        let editor: [Person]?
        /// The page's verification bundle (`review verify --bundle`).
        var subjectOf: Document? = nil
        struct Document: Encodable {
            let type = "DigitalDocument"
            let name = "Review verification bundle: check with 'review verify --bundle FILE --trust-root FINGERPRINT'"
            let url: String
            let encodingFormat = "application/json"
            enum CodingKeys: String, CodingKey { case type = "@type", name, url, encodingFormat }
        }
        enum CodingKeys: String, CodingKey {
            case context = "@context", type = "@type", name, url, description, inLanguage, datePublished, dateModified, lastReviewed, reviewedBy, editor,
                 subjectOf
        }
    }

    /// Whether a role reviews clinical content (everything but editorial review), so its
    /// reviewers are the page's `reviewedBy`; editors appear as `editor`.
    static func isClinical(_ reviewer: PublishedManifest.Reviewer) -> Bool {
        reviewer.role.split(separator: ",").contains { $0.filter { $0 != " " } != "editorial" }
    }

    /// schema.org MedicalWebPage, safe inside a `<script>` element and in XML.
    static func jsonLD(_ a: PublishedManifest.Article, site: Policy.Site = Policy.Site(), bundle: Bool = false) -> String {
        func person(_ r: PublishedManifest.Reviewer) -> LD.Person {
            LD.Person(name: r.name, hasCredential: r.credentials.isEmpty ? nil : LD.Credential(name: r.credentials))
        }
        let editors = a.reviewers.filter { !isClinical($0) }.map(person)
        var ld = LD(name: a.title, url: site.baseURL.map { $0 + a.slug + ".html" }, description: a.summary, inLanguage: site.language,
                    datePublished: a.firstPublished?.description, dateModified: a.lastUpdated?.description,
                    lastReviewed: a.lastReviewed.description, reviewedBy: a.reviewers.filter(isClinical).map(person),
                    editor: editors.isEmpty ? nil : editors)
        if bundle { ld.subjectOf = LD.Document(url: (site.baseURL ?? "") + VerificationBundle.sitePath(slug: a.slug)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: (try? encoder.encode(ld)) ?? Data("{}".utf8), as: UTF8.self)
        return json.replacingAll(["<": "\\u003c", ">": "\\u003e", "&": "\\u0026"])
    }

    public static let style = """
        body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.55; color: #1d2327; }
        h1 { line-height: 1.2; }
        .reviewed { margin: 0.2rem 0; font-weight: 600; color: #0b5d3b; }
        time { white-space: nowrap; }
        .overdue { border-left: 4px solid #b32d2e; background: #fcf0f1; padding: 0.6rem 0.9rem; }
        .overdue-tag { color: #b32d2e; font-size: 0.85em; }
        .disclaimer { margin-top: 2rem; border-top: 1px solid #dcdcde; padding-top: 0.8rem; color: #3c434a; font-size: 0.95em; }
        .dates { margin: 0.2rem 0 1.5rem; color: #50575e; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #dcdcde; }
        header a { color: #2271b1; }

        """
}
