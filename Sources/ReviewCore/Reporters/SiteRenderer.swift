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
    /// - Parameter stylesheet: the repository's own stylesheet (`Reviews/site/style.css`), in
    ///   place of ``style``.
    /// - Parameter footer: the repository's footer (`Reviews/site/footer.md`, Markdown: about,
    ///   contact, editorial policy), at the foot of every page; rendered like article bodies,
    ///   so it carries no raw HTML.
    public static func render(_ manifest: PublishedManifest, bodies: [GitPath: String], bundles: Set<String> = [],
                              content: ContentRoots = ContentRoots(), stylesheet: String? = nil, footer: String? = nil) -> [String: String] {
        var site = manifest.site ?? Policy.Site()
        // Links to articles lead to their pages (as from an article at Reviews/site/footer.md).
        site.footer = footer.map { MarkdownHTML.render($0, links: SiteLinks(articlePath: footerPath, content: content)) }
        var files: [String: String] = ["style.css": stylesheet ?? style]
        let sorted = manifest.articles.sorted { $0.title.localizedCaseInsensitiveCompare($1.title) == .orderedAscending }
        files["index.html"] = index(sorted, site: site)
        for article in sorted {
            files["\(article.slug).html"] = page(article, body: bodies[article.path] ?? "", site: site, bundle: bundles.contains(article.slug), content: content)
        }
        // A withdrawn article keeps its address: the page says it was withdrawn, when and why.
        let withdrawn = (manifest.withdrawn ?? []).filter { w in files["\(w.slug).html"] == nil }
        for w in withdrawn { files["\(w.slug).html"] = withdrawnPage(w, site: site) }
        if let sitemap = sitemap(sorted, withdrawn: withdrawn, site: site) { files["sitemap.xml"] = sitemap }
        if let feed = feed(sorted, withdrawn: withdrawn, site: site) { files["feed.xml"] = feed }
        return files
    }

    /// Where the repository's own stylesheet lives; when present it replaces ``style``.
    public static let stylesheetPath: GitPath = "Reviews/site/style.css"
    /// Where the repository's footer lives (Markdown), when it has one.
    public static let footerPath: GitPath = "Reviews/site/footer.md"

    /// The footer every page ends with, when the repository has one.
    static func footer(_ site: Policy.Site) -> String {
        site.footer.map { "<footer class=\"site\">\n\($0)</footer>\n" } ?? ""
    }
    /// The logo's file types (by extension).
    public static let logoTypes: Set<String> = ["png", "svg", "jpg", "jpeg", "webp"]

    /// The logo's file name on the site, when the policy names one.
    public static func logoFile(_ site: Policy.Site) -> String? {
        site.logo.map { "logo." + ($0.split(separator: ".").last.map { $0.lowercased() } ?? "png") }
    }

    static func e(_ text: String) -> String { MarkdownHTML.escape(text) }

    /// The page's fixed phrases, in English, by the key `site: words:` gives them in the site's
    /// own language. `{date}`, `{language}`, `{name}` and `{count}` stand for what they say.
    public static let defaultWords: [String: String] = [
        "on": "on", "last-updated": "Last updated", "next-review-due": "Next review due", "unknown": "unknown",
        "translated-from": "Translated from the {language} version", "translated-reviewed": "reviewed on {date}",
        "review-overdue": "Review overdue.", "overdue-notice": "This page was due for medical review on {date}; its content may be out of date.",
        "overdue-tag": "Review overdue", "what-changed": "What changed", "all-changes": "All changes", "all-changes-link": "All {count} changes",
        "all-articles": "All articles", "disclaimer": "Disclaimer", "withdrawn": "This page has been withdrawn.",
        "withdrawn-on": "It was withdrawn on {date} by {name}.", "reason": "Reason:", "do-not-rely": "Do not rely on any earlier copy of it.",
        "see-all": "See all current articles",
    ]

    /// The site's words for `key` as HTML: escaped, then each `{placeholder}` replaced by its
    /// HTML (a `<time>` element, an escaped name).
    static func words(_ key: String, _ site: Policy.Site, _ values: [String: String] = [:]) -> String {
        var html = e(site.words?[key] ?? defaultWords[key] ?? key)
        for (name, value) in values { html = html.replacingOccurrences(of: "{\(name)}", with: value) }
        return html
    }

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

    /// The site's name (and logo) at the top of every page, leading to the index.
    static func banner(_ site: Policy.Site) -> String {
        let logo = logoFile(site).map { "<img class=\"logo\" src=\"\(e($0))\" alt=\"\"/>" } ?? ""
        return "<header class=\"site\"><a class=\"brand\" href=\"index.html\">\(logo)<span>\(e(site.title))</span></a></header>"
    }

    /// "Dr Amara Okafor, MD, neurology"
    static func who(_ reviewer: PublishedManifest.Reviewer) -> String {
        reviewer.credentials.isEmpty ? reviewer.name : "\(reviewer.name), \(reviewer.credentials)"
    }

    /// A date as readers see it, in the site's language ("9 April 2026"), machine-readable in
    /// `datetime` and never wrapped mid-date.
    static func time(_ day: Day, _ site: Policy.Site = Policy.Site()) -> String {
        "<time datetime=\"\(day)\">\(e(humanDate(day, language: site.language)))</time>"
    }

    /// A date written out in `language` (a BCP 47 tag): English, French, German, Spanish,
    /// Italian, Dutch and Portuguese; any other language gets the ISO date. Pure: no locale
    /// data of the machine, so the same inputs give the same bytes everywhere.
    public static func humanDate(_ day: Day, language: String) -> String {
        let tag = language.lowercased()
        let base = String(tag.split(separator: "-").first ?? "")
        let (year, number, date) = day.components
        guard let months = monthNames[base], (1...12).contains(number) else { return day.description }
        let month = months[number - 1]
        switch base {
        case "en": return tag == "en-us" ? "\(month) \(date), \(year)" : "\(date) \(month) \(year)"
        case "de": return "\(date). \(month) \(year)"
        case "es", "pt": return "\(date) de \(month) de \(year)"
        default: return "\(date) \(month) \(year)"
        }
    }

    static let monthNames: [String: [String]] = [
        "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
        "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
        "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
        "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
        "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
        "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"],
    ]

    /// "A", "A and B", "A, B and C", with the site's language's "and".
    static func names(_ list: [String], language: String) -> String {
        let and = ["fr": "et", "de": "und", "es": "y", "it": "e", "nl": "en", "pt": "e"][String(language.lowercased().split(separator: "-").first ?? "")] ?? "and"
        guard list.count > 1 else { return list.first ?? "" }
        return list.dropLast().joined(separator: ", ") + " \(and) " + list[list.count - 1]
    }

    /// The words before a reviewer's name for a role the policy gives no label.
    public static func defaultLabel(for role: String) -> String {
        switch role {
        case "medical": return "Medically reviewed by"
        case "editorial": return "Edited by"
        case "legal": return "Legally reviewed by"
        case "pharmacy", "pharmacist": return "Pharmacist reviewed by"
        default:
            let words = role.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
            return words.prefix(1).uppercased() + words.dropFirst() + " review by"
        }
    }

    /// The words before a reviewer's name: the policy's label for the role, or the default; a
    /// reviewer in two roles gets both ("Medically reviewed and edited by").
    static func label(_ reviewer: PublishedManifest.Reviewer, site: Policy.Site) -> String {
        let roles = reviewer.role.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let labels = roles.map { site.roleLabels?[$0] ?? defaultLabel(for: $0) }
        guard labels.count > 1 else { return labels.first ?? "Reviewed by" }
        if labels.allSatisfy({ $0.hasSuffix(" by") }) {
            let stems = labels.map { String($0.dropLast(3)) }
            return stems[0] + stems.dropFirst().map { " and " + $0.prefix(1).lowercased() + $0.dropFirst() }.joined() + " by"
        }
        return labels.joined(separator: "; ")
    }

    /// The name readers see for a category's section.
    public static func sectionName(_ category: String, site: Policy.Site) -> String {
        if let title = site.sections?[category] { return title }
        let words = category.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// An `id` for a section heading: the category id, with anything but letters, digits and
    /// hyphens replaced.
    static func sectionID(_ category: String) -> String {
        "section-" + String(category.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") ? $0 : "-" })
    }

    /// The index: articles grouped by section (the category's name), each with its title,
    /// summary, who reviewed it and when.
    static func index(_ articles: [PublishedManifest.Article], site: Policy.Site) -> String {
        let groups = Dictionary(grouping: articles, by: \.category)
        let order = groups.keys.sorted { (sectionName($0, site: site).lowercased(), $0) < (sectionName($1, site: site).lowercased(), $1) }
        var sections = ""
        for category in order {
            let id = sectionID(category)
            sections += "<section aria-labelledby=\"\(e(id))\">\n<h2 id=\"\(e(id))\">\(e(sectionName(category, site: site)))</h2>\n<ul class=\"articles\">\n"
            for a in groups[category] ?? [] {
                let lead = a.reviewers.first { isClinical($0) } ?? a.reviewers.first
                sections += "<li><a href=\"\(e(a.slug)).html\">\(e(a.title))</a>"
                    + (a.overdueSince != nil ? " <span class=\"overdue-tag\">\(words("overdue-tag", site))</span>" : "")
                    + (a.summary.map { "<p class=\"summary\">\(e($0))</p>" } ?? "")
                    + (lead.map { "<p class=\"meta\">\(e(label($0, site: site))) \(e($0.name)) \(words("on", site)) \(time($0.date, site))</p>" } ?? "")
                    + "</li>\n"
            }
            sections += "</ul>\n</section>\n"
        }
        return head(site.title, site: site) + """
            <body>
            \(banner(site))
            <main>
            <h1>\(words("all-articles", site))</h1>
            \(sections)</main>
            \(footer(site))</body>
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
        let byline = (a.authors ?? []).isEmpty ? ""
            : "<p class=\"byline\">\(e(site.authorsLabel ?? "Written by")) \(e(names(a.authors ?? [], language: site.language)))</p>\n"
        let reviewLines = a.reviewers.map { r in
            "<p class=\"reviewed\">\(e(label(r, site: site))) \(e(who(r))) \(words("on", site)) \(time(r.date, site))</p>"
        }.joined(separator: "\n")
        let dates = "<p class=\"dates\">\(words("last-updated", site)) \(a.lastUpdated.map { time($0, site) } ?? words("unknown", site))"
            + (a.nextReviewDue.map { " · \(words("next-review-due", site)) \(time($0, site))" } ?? "") + "</p>"
        let translated = a.translatedFrom.map { t in
            "<p class=\"translated\">\(words("translated-from", site, ["language": e(t.language)]))"
                + (t.reviewed.map { " " + words("translated-reviewed", site, ["date": time($0, site)]) } ?? "") + "</p>\n"
        } ?? ""
        let overdue = a.overdueSince.map {
            "<p class=\"overdue\" role=\"note\"><strong>\(words("review-overdue", site))</strong> "
                + words("overdue-notice", site, ["date": time($0, site)]) + "</p>\n"
        } ?? ""
        let aside = disclaimers.isEmpty ? "" : "<aside class=\"disclaimer\" aria-label=\"\(words("disclaimer", site))\">\n"
            + disclaimers.map { MarkdownHTML.render($0.text) }.joined() + "</aside>\n"
        // "What changed" under the reviewed-by lines (issue 33, 38): the last few reviewed
        // revisions' public notes, most recent first, then a link to the full list.
        let changes = a.changes ?? []
        func noteItem(_ c: PublishPlan.ChangeNote) -> String { "<li>\(time(c.date, site)): \(e(c.note))</li>" }
        let whatChanged = changes.isEmpty ? ""
            : "<section class=\"changes\" aria-labelledby=\"what-changed\">\n<h2 id=\"what-changed\">\(words("what-changed", site))</h2>\n<ul>\n"
                + changes.prefix(changesShown).map(noteItem).joined(separator: "\n") + "\n</ul>\n"
                + (changes.count > changesShown ? "<p><a href=\"#all-changes\">\(words("all-changes-link", site, ["count": String(changes.count)]))</a></p>\n" : "") + "</section>\n"
        let allChanges = changes.count <= changesShown ? ""
            : "<section id=\"all-changes\" class=\"changes\" aria-labelledby=\"all-changes-heading\">\n<h2 id=\"all-changes-heading\">\(words("all-changes", site))</h2>\n<ul>\n"
                + changes.map(noteItem).joined(separator: "\n") + "\n</ul>\n</section>\n"
        let section = a.category.isEmpty ? ""
            : "<p class=\"section\"><a href=\"index.html#\(e(sectionID(a.category)))\">\(e(sectionName(a.category, site: site)))</a></p>\n"
        return head("\(a.title) · \(site.title)", site: site, description: a.summary,
                    extra: "<script type=\"application/ld+json\">\(jsonLD(a, site: site, bundle: bundle))</script>\n") + """
            <body>
            \(banner(site))
            <main>
            <article>
            \(section)<h1>\(e(a.title))</h1>
            \(byline)<div class="review">
            \(reviewLines)
            \(dates)
            </div>
            \(translated)\(whatChanged)\(overdue)\(MarkdownHTML.render(markdown, links: SiteLinks(articlePath: a.path, content: content)))
            \(aside)\(allChanges)</article>
            </main>
            \(footer(site))</body>
            </html>

            """
    }

    /// `sitemap.xml`, when the policy gives the site's base URL: each page with `lastmod` equal
    /// to its JSON-LD `dateModified`.
    /// How many change notes a page shows before its link to the full list.
    static let changesShown = 3

    /// `feed.xml`: an Atom feed (RFC 4287) of published changes: each page as new (dated its
    /// first publication) or updated (dated the publication that replaced its revision, with its
    /// newest change note), and each withdrawal with its reason. Built from the
    /// manifest alone, so the same publication always gives the same bytes; `nil` when the
    /// site has nothing to list.
    static func feed(_ articles: [PublishedManifest.Article], withdrawn: [PublishPlan.Withdrawal], site: Policy.Site) -> String? {
        struct Entry { var id, title, link, summary: String; var updated: Day; var slug: String }
        func id(_ slug: String, _ suffix: String = "") -> String {
            site.baseURL.map { $0 + slug + ".html" + suffix }
                ?? "urn:review:page:" + (slug.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? slug) + suffix
        }
        var entries: [Entry] = []
        for a in articles {
            let first = a.firstPublished ?? a.lastReviewed
            if let updated = a.updatedOn {
                entries.append(Entry(id: id(a.slug), title: "Updated: \(a.title)", link: a.slug + ".html",
                                     summary: a.changes?.first?.note ?? "Reviewed and updated.", updated: updated, slug: a.slug))
            } else {
                entries.append(Entry(id: id(a.slug), title: "New: \(a.title)", link: a.slug + ".html",
                                     summary: a.changes?.first?.note ?? a.summary ?? a.title, updated: first, slug: a.slug))
            }
        }
        for w in withdrawn {
            entries.append(Entry(id: id(w.slug, "#withdrawn-\(w.date)"), title: "Withdrawn: \(w.title)", link: w.slug + ".html",
                                 summary: "Withdrawn on \(w.date): \(w.reason)", updated: w.date, slug: w.slug))
        }
        guard let newest = entries.map(\.updated).max() else { return nil }
        entries.sort { ($1.updated, $0.slug, $0.title) < ($0.updated, $1.slug, $1.title) }
        func stamp(_ day: Day) -> String { "\(day)T00:00:00Z" }
        let x = XMLEscaping.escape
        var out = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(x(site.language))">
              <title>\(x(site.title)): changes</title>
              <id>\(x(site.baseURL.map { $0 + "feed.xml" } ?? "urn:review:feed"))</id>
              <updated>\(stamp(newest))</updated>
              <link rel="self" href="\(x((site.baseURL ?? "") + "feed.xml"))"/>
              <link rel="alternate" type="text/html" href="\(x((site.baseURL ?? "") + "index.html"))"/>
              <author><name>\(x(site.title))</name></author>

            """
        for entry in entries {
            out += """
                  <entry>
                    <id>\(x(entry.id))</id>
                    <title>\(x(entry.title))</title>
                    <updated>\(stamp(entry.updated))</updated>
                    <link rel="alternate" type="text/html" href="\(x((site.baseURL ?? "") + entry.link))"/>
                    <summary>\(x(entry.summary))</summary>
                  </entry>

                """
        }
        return out + "</feed>\n"
    }

    /// Withdrawn pages stay listed, with `lastmod` the day of the retraction, so crawlers
    /// fetch the notice that replaced the page.
    static func sitemap(_ articles: [PublishedManifest.Article], withdrawn: [PublishPlan.Withdrawal] = [], site: Policy.Site) -> String? {
        guard let base = site.baseURL else { return nil }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for a in articles {
            out += "  <url><loc>\(XMLEscaping.escape(base + a.slug + ".html"))</loc>"
                + (a.lastUpdated.map { "<lastmod>\($0)</lastmod>" } ?? "") + "</url>\n"
        }
        for w in withdrawn.sorted(by: { $0.slug < $1.slug }) {
            out += "  <url><loc>\(XMLEscaping.escape(base + w.slug + ".html"))</loc><lastmod>\(w.date)</lastmod></url>\n"
        }
        return out + "</urlset>\n"
    }

    /// The page left where a retracted article was: it was withdrawn, when, by whom and why
    /// (the reason is public). Nothing of the article's text remains; search engines are told
    /// not to index it.
    static func withdrawnPage(_ w: PublishPlan.Withdrawal, site: Policy.Site) -> String {
        let by = w.credentials.isEmpty ? w.reviewerName : "\(w.reviewerName), \(w.credentials)"
        return head("Withdrawn: \(w.title) · \(site.title)", site: site, extra: "<meta name=\"robots\" content=\"noindex\"/>\n") + """
            <body>
            \(banner(site))
            <main>
            <article class="withdrawn">
            <h1>\(e(w.title))</h1>
            <div class="withdrawn-notice" role="alert">
            <p><strong>\(words("withdrawn", site))</strong> \(words("withdrawn-on", site, ["date": time(w.date, site), "name": e(by)]))</p>
            <p class="reason">\(words("reason", site)) \(e(w.reason))</p>
            <p>\(words("do-not-rely", site)) <a href="index.html">\(words("see-all", site))</a>.</p>
            </div>
            </article>
            </main>
            \(footer(site))</body>
            </html>

            """
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
        /// The reviewed revisions' public change notes, most recent first.
        var correction: [Correction]? = nil
        struct Correction: Encodable {
            let type = "CorrectionComment"
            let text: String
            let datePublished: String
            enum CodingKeys: String, CodingKey { case type = "@type", text, datePublished }
        }
        struct Document: Encodable {
            let type = "DigitalDocument"
            let name = "Review verification bundle: check with 'review verify --bundle FILE --trust-root FINGERPRINT'"
            let url: String
            let encodingFormat = "application/json"
            enum CodingKeys: String, CodingKey { case type = "@type", name, url, encodingFormat }
        }
        enum CodingKeys: String, CodingKey {
            case context = "@context", type = "@type", name, url, description, inLanguage, datePublished, dateModified, lastReviewed, reviewedBy, editor,
                 subjectOf, correction
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
        if let changes = a.changes, !changes.isEmpty {
            ld.correction = changes.map { LD.Correction(text: $0.note, datePublished: $0.date.description) }
        }
        if bundle { ld.subjectOf = LD.Document(url: (site.baseURL ?? "") + VerificationBundle.sitePath(slug: a.slug)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: (try? encoder.encode(ld)) ?? Data("{}".utf8), as: UTF8.self)
        return json.replacingAll(["<": "\\u003c", ">": "\\u003e", "&": "\\u0026"])
    }

    /// The default stylesheet: readable on a phone (no horizontal scroll at 320 px), contrast
    /// above WCAG AA. A repository replaces it with `Reviews/site/style.css`.
    public static let style = """
        *, *::before, *::after { box-sizing: border-box; }
        body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 0 1rem 2rem; line-height: 1.55; color: #1d2327; background: #fff; }
        header.site { padding: 0.9rem 0; border-bottom: 1px solid #dcdcde; margin-bottom: 1.5rem; }
        .brand { display: inline-flex; align-items: center; gap: 0.6rem; color: #1d2327; font-weight: 700; font-size: 1.15rem; text-decoration: none; }
        .brand:hover span, .brand:focus span { text-decoration: underline; }
        .logo { height: 2.25rem; width: auto; }
        h1 { line-height: 1.2; font-size: clamp(1.6rem, 6vw, 2.2rem); overflow-wrap: break-word; hyphens: auto; margin: 0.3rem 0 0.6rem; }
        h2 { line-height: 1.25; overflow-wrap: break-word; }
        main { overflow-wrap: break-word; }
        a { color: #135e96; }
        .section { margin: 0; font-size: 0.95rem; }
        .byline { margin: 0 0 0.4rem; color: #3c434a; }
        .review { border-left: 4px solid #0b5d3b; padding: 0.1rem 0 0.1rem 0.8rem; margin: 0.8rem 0 1.5rem; }
        .reviewed { margin: 0.2rem 0; font-weight: 600; color: #0b5d3b; }
        time { white-space: nowrap; }
        .overdue { border-left: 4px solid #b32d2e; background: #fcf0f1; padding: 0.6rem 0.9rem; }
        .callout { border-left: 4px solid #1d4f91; background: #eef3fa; padding: 0.6rem 0.9rem; margin: 1rem 0; }
        .callout.warning, .callout.caution { border-left-color: #b32d2e; background: #fcf0f1; }
        .callout.important { border-left-color: #6b3fa0; background: #f4effa; }
        .callout-title { margin: 0 0 0.3rem; }
        .changes h2 { font-size: 1.05rem; margin: 0 0 0.3rem; }
        .changes ul { margin: 0 0 1.2rem; padding-left: 1.2rem; }
        .withdrawn-notice { border-left: 4px solid #b32d2e; background: #fcf0f1; padding: 0.6rem 0.9rem; }
        .overdue-tag { color: #b32d2e; font-size: 0.85em; font-weight: 600; }
        .disclaimer { margin-top: 2rem; border-top: 1px solid #dcdcde; padding-top: 0.8rem; color: #3c434a; font-size: 0.95em; }
        .dates { margin: 0.3rem 0 0; color: #50575e; }
        img { max-width: 100%; height: auto; }
        pre { white-space: pre-wrap; }
        table { border-collapse: collapse; width: 100%; display: block; overflow-x: auto; }
        th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #dcdcde; }
        ul.articles { list-style: none; padding: 0; }
        ul.articles li { padding: 0.7rem 0; border-bottom: 1px solid #dcdcde; }
        ul.articles li > a { font-weight: 600; font-size: 1.1rem; }
        .summary { margin: 0.2rem 0; }
        .meta { margin: 0.2rem 0 0; color: #50575e; font-size: 0.95rem; }
        footer.site { margin-top: 2.5rem; border-top: 1px solid #dcdcde; padding-top: 0.8rem; color: #3c434a; font-size: 0.95rem; }

        """
}
