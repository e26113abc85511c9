import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ReviewCore
import Testing

/// Issue 17, item 1: what the hand-written renderer lost, rendered from cmark-gfm's tree.
@Suite struct MarkdownRenderingTests {
    private func html(_ markdown: String, article: String = "Articles/respiratory/x.md") -> String {
        MarkdownHTML.render(markdown, links: SiteLinks(articlePath: article))
    }

    @Test func aDosageTableIsATable() throws {
        let out = html("| Age | Dose |\n|---|---:|\n| 2-5 | 2.5 ml |\n| 6-11 | 5 ml |\n")
        #expect(out.contains("<table>"))
        #expect(out.contains("<thead>\n<tr><th>Age</th><th>Dose</th></tr>"))
        #expect(out.contains("<tr><td>6-11</td><td>5 ml</td></tr>"))
        #expect(!out.contains("|"))
    }

    @Test func nestedListsKeepTheirStructureAndNumbering() {
        let out = html("1. Sit up\n2. Take the inhaler\n   - one puff\n   - wait a minute\n3. Call 999 if no better\n")
        #expect(out.contains("<ol>"))
        #expect(out.contains("<ul>\n<li>one puff</li>"))
        #expect(out.components(separatedBy: "<li>").count - 1 == 5)
        let later = html("3. Third\n4. Fourth\n")
        #expect(later.contains("<ol start=\"3\">"))
    }

    @Test func quotesCodeEmphasisAutolinksAndReferenceLinks() {
        let out = html("""
            > Call 999

            ```
            # not a heading
            ```

            _em_, ~~old~~, <https://nhs.uk/a>, [ref][r] and [paren](https://e.org/a_(b)).

            - [x] done

            [r]: https://example.org/ref
            """)
        #expect(out.contains("<blockquote>\n<p>Call 999</p>\n</blockquote>"))
        #expect(out.contains("<pre><code># not a heading\n</code></pre>"))
        #expect(!out.contains("<h1>"))
        #expect(out.contains("<em>em</em>"))
        #expect(out.contains("<del>old</del>"))
        #expect(out.contains("<a href=\"https://nhs.uk/a\">https://nhs.uk/a</a>"))
        #expect(out.contains("<a href=\"https://example.org/ref\">ref</a>"))
        #expect(out.contains("<a href=\"https://e.org/a_(b)\">paren</a>"))
        #expect(out.contains("<input type=\"checkbox\" checked=\"checked\" disabled=\"disabled\"/> done"))
    }

    @Test func linksBetweenArticlesAndFilesLeadToTheSite() {
        let out = html("See [asthma](asthma.md), [copd](../copd.md#signs) and ![chart](img/peak%20flow.png).")
        #expect(out.contains("<a href=\"asthma.html\">asthma</a>"))
        #expect(out.contains("<a href=\"copd.html#signs\">copd</a>"))
        #expect(out.contains("<img src=\"assets/respiratory/img/peak%20flow.png\" alt=\"chart\"/>"))
    }

    @Test func rawHTMLAndUnsafeLinksNeverPass() throws {
        let out = html("<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> [x](javascript:alert(1)) [y](data:text/html,x)\n")
        #expect(!out.contains("<script"))
        #expect(!out.contains("<img"))
        #expect(!out.contains("javascript:"))
        #expect(!out.contains("href=\"data:"))
        _ = try XMLDocument(data: Data(("<div>" + out + "</div>").utf8))
    }

    @Test func deepNestingBecomesTextNotAStackOverflow() throws {
        let deep = String(repeating: "> ", count: 5000) + "deep\n" + String(repeating: "[", count: 5000) + "x" + String(repeating: "](y)", count: 5000)
        let out = html(deep)
        #expect(out.contains("deep"))
        _ = try XMLDocument(data: Data(("<div>" + out + "</div>").utf8))
    }
}
