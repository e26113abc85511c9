import Foundation

/// Renders the published articles to static HTML: an index and one page per article. Pure.
///
/// Every value from front matter and records is escaped; bodies go through ``MarkdownHTML``,
/// which never passes raw HTML through; the JSON-LD escapes `<`, `>` and `&`.
public enum SiteRenderer {
    /// File name → contents.
    public static func render(_ manifest: PublishedManifest, bodies: [String: String]) -> [String: String] {
        var files: [String: String] = ["style.css": style]
        let sorted = manifest.articles.sorted { $0.title.localizedCaseInsensitiveCompare($1.title) == .orderedAscending }
        files["index.html"] = index(sorted)
        for article in sorted {
            files["\(article.slug).html"] = page(article, body: bodies[article.path] ?? "")
        }
        return files
    }

    static func e(_ text: String) -> String { MarkdownHTML.escape(text) }

    static func head(_ title: String, extra: String = "") -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(e(title))</title>
        <link rel="stylesheet" href="style.css"/>
        \(extra)</head>
        """
    }

    /// "Dr Amara Okafor, MD, neurology"
    static func who(_ reviewer: PublishedManifest.Reviewer) -> String {
        reviewer.credentials.isEmpty ? reviewer.name : "\(reviewer.name), \(reviewer.credentials)"
    }

    static func index(_ articles: [PublishedManifest.Article]) -> String {
        var rows = ""
        for a in articles {
            let reviewed = a.reviewers.filter { $0.role == "medical" }.map(who)
            rows += "<tr><td><a href=\"\(e(a.slug)).html\">\(e(a.title))</a></td><td>\(e(a.category))</td>"
                + "<td>\(a.lastUpdated.map { e($0.description) } ?? "")</td>"
                + "<td>\(e((reviewed.isEmpty ? a.reviewers.map(who) : reviewed).joined(separator: "; ")))</td></tr>\n"
        }
        return head("Health articles") + """
            <body>
            <main>
            <h1>Health articles</h1>
            <table>
            <thead><tr><th>Article</th><th>Category</th><th>Last updated</th><th>Reviewed by</th></tr></thead>
            <tbody>
            \(rows)</tbody>
            </table>
            </main>
            </body>
            </html>

            """
    }

    static func page(_ a: PublishedManifest.Article, body: String) -> String {
        // The body's own first-level heading repeats the title shown above it.
        var markdown = body
        if let first = body.lines().first(where: { !$0.trimmingSpaces().isEmpty }), first.hasPrefix("# ") {
            markdown = body.replacingOccurrences(of: String(first), with: "", options: [], range: body.range(of: String(first)))
        }
        let reviewLines = a.reviewers.map { r in
            "<p class=\"reviewed\">\(r.isMedical ? "Medically reviewed by" : "Reviewed (\(e(r.role))) by") \(e(who(r))) on \(e(r.date.description))</p>"
        }.joined(separator: "\n")
        let dates = "<p class=\"dates\">Last updated \(a.lastUpdated.map { e($0.description) } ?? "unknown")"
            + (a.nextReviewDue.map { " · Next review due \(e($0.description))" } ?? "") + "</p>"
        return head(a.title, extra: "<script type=\"application/ld+json\">\(jsonLD(a))</script>\n") + """
            <body>
            <header><a href="index.html">All articles</a></header>
            <main>
            <article>
            <h1>\(e(a.title))</h1>
            \(reviewLines)
            \(dates)
            \(MarkdownHTML.render(markdown))
            </article>
            </main>
            </body>
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
        let dateModified: String?
        let lastReviewed: String
        let reviewedBy: [Person]
        enum CodingKeys: String, CodingKey { case context = "@context", type = "@type", name, dateModified, lastReviewed, reviewedBy }
    }

    /// schema.org MedicalWebPage, safe inside a `<script>` element and in XML.
    static func jsonLD(_ a: PublishedManifest.Article) -> String {
        let medical = a.reviewers.filter(\.isMedical)
        let ld = LD(name: a.title, dateModified: a.lastUpdated?.description, lastReviewed: a.lastReviewed.description,
                    reviewedBy: (medical.isEmpty ? a.reviewers : medical).map {
                        LD.Person(name: $0.name, hasCredential: $0.credentials.isEmpty ? nil : LD.Credential(name: $0.credentials))
                    })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: (try? encoder.encode(ld)) ?? Data("{}".utf8), as: UTF8.self)
        return json.replacingAll(["<": "\\u003c", ">": "\\u003e", "&": "\\u0026"])
    }

    static let style = """
        body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.55; color: #1d2327; }
        h1 { line-height: 1.2; }
        .reviewed { margin: 0.2rem 0; font-weight: 600; color: #0b5d3b; }
        .dates { margin: 0.2rem 0 1.5rem; color: #50575e; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #dcdcde; }
        header a { color: #2271b1; }

        """
}
