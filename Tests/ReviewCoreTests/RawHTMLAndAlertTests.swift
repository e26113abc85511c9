import Paths
import Testing
@testable import ReviewCore

/// What readers would see (issue 32, item 4): GitHub alerts render as callouts; raw HTML a page
/// would show as literal text is a finding; comments (review-ignore, authors' notes) are never shown.
@Suite struct RawHTMLAndAlertTests {
    @Test(arguments: [("NOTE", "note", "Note"), ("WARNING", "warning", "Warning"), ("tip", "tip", "Tip"),
                      ("IMPORTANT", "important", "Important"), ("CAUTION", "caution", "Caution")])
    func alertsRenderAsCallouts(marker: String, kind: String, title: String) {
        let html = MarkdownHTML.render("> [!\(marker)]\n> Do not take it with alcohol.\n")
        #expect(html == "<div class=\"callout \(kind)\" role=\"note\">\n<p class=\"callout-title\"><strong>\(title)</strong></p>\n<p>Do not take it with alcohol.</p>\n</div>\n", "\(html)")
    }

    @Test func aQuoteIsStillAQuoteAndAnUnknownMarkerIsText() {
        #expect(MarkdownHTML.render("> Plain quote.\n") == "<blockquote>\n<p>Plain quote.</p>\n</blockquote>\n")
        #expect(MarkdownHTML.render("> [!DANGER]\n> text\n").hasPrefix("<blockquote>"))
    }

    @Test func commentsAreNeverShownAndOtherHTMLIsReported() {
        let body = "<!-- review-ignore repeated-text: quoted twice on purpose -->\nText.\n\n<div class=\"callout\">Warning</div>\n\nInline <b>bold</b> and <!-- a note --> here.\n"
        let html = MarkdownHTML.render(body)
        #expect(!html.contains("review-ignore") && !html.contains("a note"), "\(html)")
        #expect(html.contains("&lt;div class=&quot;callout&quot;&gt;"), "\(html)")
        let findings = RawHTMLRule.check(BodyText(MarkdownParser.parse(body)), firstLine: 5)
        #expect(findings.map(\.rule) == [.rawHTMLShown, .rawHTMLShown], "\(findings)")
        #expect(findings.map(\.line) == [8, 10])
        #expect(findings.first?.message.contains("shown to readers as text") == true)
        #expect(findings.allSatisfy { $0.severity == .warning } && RuleID.rawHTMLShown.isContent)
        #expect(RawHTMLRule.check(BodyText(MarkdownParser.parse("<!-- only a comment -->\n\nText.\n")), firstLine: 1).isEmpty)
    }
}

/// Unfinished text is a finding (issue 32, item 6): what `review new` writes, and what PlatyPS
/// leaves, blocks and holds the article back until it is written.
@Suite struct UnfilledPlaceholderTests {
    private func findings(_ body: String) -> [Finding] {
        UnfilledPlaceholderRule.check(BodyText(MarkdownParser.parse(body)), firstLine: 1)
    }

    @Test func theNewArticleTemplateAndPlatyPSPlaceholdersAreFound() {
        #expect(findings("# Flu\n\n**Short answer:** …\n").map(\.line) == [3])
        #expect(findings("## DESCRIPTION\n\n{{ Fill in the Description }}\n").map(\.line) == [3])
        #expect(findings("...\n").count == 1)
        #expect(findings("# Flu\n\n**Short answer:** …\n").allSatisfy { $0.severity == .error && !$0.rule.isContent })
    }

    @Test func writtenTextAndCodeAreNot() {
        #expect(findings("# Flu\n\n**Short answer:** rest and fluids usually help within a week.\n").isEmpty)
        #expect(findings("The list goes on…\n").isEmpty)
        #expect(findings("Use `{{ name }}` in the template.\n\n```\n{{ Fill in }}\n```\n").isEmpty)
        #expect(findings("Symptoms include: fever, cough…\n").isEmpty)
    }

    /// `<br>` in a table cell (windows-powershell-docs' module tables: 234 warnings, the
    /// sample all `<br>`) is the only line break a cell can hold: pages render it, and it is
    /// not reported. In an `.mdx` file tags are the format's own (nodejs.org: 618 warnings on
    /// components such as `<PartnersList />`), so the rule does not apply there.
    @Test func aLineBreakInACellIsRenderedAndMDXTagsAreTheFormats() {
        let body = "| Module | Notes |\n|---|---|\n| A | one<br>two<BR />three |\n\nText <span>x</span>.\n"
        let html = MarkdownHTML.render(body)
        #expect(html.contains("one<br/>two<br/>three"), "\(html)")
        #expect(html.contains("&lt;span&gt;x&lt;/span&gt;"), "\(html)")
        #expect(RawHTMLRule.check(BodyText(MarkdownParser.parse(body)), firstLine: 1).map(\.line) == [5])
        #expect(!MarkdownHTML.isLineBreakTag("<br class=\"x\">") && !MarkdownHTML.isLineBreakTag("<bra>"))
        let page = Array("---\ntitle: A\n---\n\n<PartnersList size=\"large\" />\n\n<div>\nx\n</div>\n".utf8)
        #expect(ArticleParser.parse(path: "pages/en/partners.mdx", bytes: page).1.allSatisfy { $0.rule != .rawHTMLShown })
        #expect(ArticleParser.parse(path: "pages/en/partners.md", bytes: page).1.contains { $0.rule == .rawHTMLShown })
    }
}
