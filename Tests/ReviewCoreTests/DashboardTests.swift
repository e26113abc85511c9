import Paths
import ReviewCore
import Testing
import TestSupport

@Suite struct WordDiffTests {
    static func spelled(_ diff: WordDiff, without kind: WordDiff.Kind) -> String {
        diff.runs.filter { $0.kind != kind }.map(\.text).joined()
    }

    @Test func marksOnlyTheWordsThatChanged() {
        let diff = WordDiff(old: "Most people feel tired and look pale.\nSee a doctor.\n",
                            new: "Most people feel tired, short of breath and look pale.\nSee a doctor.\n")
        let added = diff.runs.filter { $0.kind == .added }.map(\.text).joined()
        #expect(added.split(separator: " ") == [",", "short", "of", "breath"] || added.split(separator: " ") == [",short", "of", "breath"])
        #expect(diff.runs.filter { $0.kind == .removed }.isEmpty)
        #expect(diff.wordsAdded == 3)
        #expect(diff.wordsRemoved == 0)
    }

    @Test func aReplacedWordIsRemovedThenAdded() {
        let diff = WordDiff(old: "Take 200 mg daily.", new: "Take 400 mg daily.")
        #expect(diff.runs.map(\.kind) == [.same, .removed, .added, .same])
        #expect(diff.runs[1].text == "200")
        #expect(diff.runs[2].text == "400")
    }

    /// Whatever the edit, the unchanged and removed runs spell the old text, and the unchanged
    /// and added runs the new one.
    @Test func runsSpellBothTexts() {
        var random = SplitMix(seed: 7)
        let words = ["iron", "pale", "tired", ",", " ", "\n", "dose", "mg", "200", "—", "é", "the", "\n\n"]
        for _ in 0..<300 {
            let old = (0..<random.next(in: 0..<60)).map { _ in words[random.next(in: 0..<words.count)] }.joined()
            var tokens = Array(old)
            for _ in 0..<random.next(in: 0..<6) where !tokens.isEmpty {
                let at = random.next(in: 0..<tokens.count)
                if random.next(in: 0..<2) == 0 { tokens.remove(at: at) } else { tokens.insert(contentsOf: words[random.next(in: 0..<words.count)], at: at) }
            }
            let new = String(tokens)
            let diff = WordDiff(old: old, new: new)
            #expect(Self.spelled(diff, without: .added) == old)
            #expect(Self.spelled(diff, without: .removed) == new)
            if old == new { #expect(diff.runs.allSatisfy { $0.kind == .same }) }
        }
    }

    /// A rewrite beyond the search limit shows old removed and new added, in bounded time.
    @Test func aWholeRewriteIsShownReplaced() {
        let old = (0..<3000).map { "line \($0) of the old text\n" }.joined()
        let new = (0..<3000).map { "row \($0) in a new text\n" }.joined()
        let diff = WordDiff(old: old, new: new)
        #expect(Self.spelled(diff, without: .added) == old)
        #expect(Self.spelled(diff, without: .removed) == new)
    }
}

@Suite struct DashboardModelTests {
    static func model(_ statuses: [(String, ArticleFacts)], configuration: WorkflowConfiguration = Fixture.configuration) -> DashboardModel {
        let facts = statuses.map(\.1)
        let report = StatusReport(asOf: Fixture.asOf, head: String(repeating: "a", count: 40),
                                  articles: facts.map { WorkflowEngine.evaluate($0, configuration) })
        let queue = ReviewQueue.make(facts, statuses: report.articles, configuration: configuration)
        return DashboardModel(articles: facts, report: report, configuration: configuration, queue: queue)
    }

    @Test func countsStatesAndFiltersArticles() throws {
        let facts = Fixture.facts()
        let model = Self.model([("pml", facts)])
        #expect(model.summary.all.total == 1)
        let state = model.report.articles[0].state
        #expect(model.summary.all.byState[state] == 1)
        #expect(model.articles(ArticleFilter(state: state)).count == 1)
        #expect(model.status(named: "pml")?.path == "Articles/pml.md")
        #expect(model.status(named: "Articles/pml.md") != nil)
        #expect(model.articles(ArticleFilter(state: .approved)).isEmpty)
        #expect(model.articles(ArticleFilter(text: "PM")).count == 1)
        #expect(model.articles(ArticleFilter(owner: "(no owner)")).count == 1)
        #expect(Set(model.signers(of: model.report.articles[0]).map(\.id)) == ["ed", "bo"])  // ann's key ended 2026-06-30
        #expect(throws: ReviewError.self) { try ArticleFilter(query: ["state": "nonsense"]) }
        #expect(try ArticleFilter(query: ["state": "approved", "q": ""]) == ArticleFilter(state: .approved))
    }

    /// The article page links to the retraction form only where it draws one, where some
    /// reviewer holds a role the category requires; before, with no such reviewer, the link
    /// led to nothing.
    @Test func theWithdrawLinkComesWithItsForm() {
        let frame = DashboardHTML.Frame(csrfToken: "t", readOnly: false)
        let model = Self.model([("pml", Fixture.facts())])
        let page = DashboardHTML.article(model, model.report.articles[0], frame: frame)
        #expect(page.contains("<a href=\"#retract\">") && page.contains("id=\"retract\""))
        var configuration = Fixture.configuration
        configuration.reviewers = []
        let nobody = Self.model([("pml", Fixture.facts())], configuration: configuration)
        let bare = DashboardHTML.article(nobody, nobody.report.articles[0], frame: frame)
        #expect(nobody.signers(of: nobody.report.articles[0]).isEmpty)
        #expect(!bare.contains("#retract") && !bare.contains("id=\"retract\""))
        #expect(bare.contains("<a href=\"#sign\">"))
    }

    @Test func pagesEscapeEveryValue() {
        let text = Fixture.articleText().replacingOccurrences(of: "title: PML", with: "title: \"<img src=x onerror=alert(1)>\"")
        let model = Self.model([("pml", Fixture.facts(text))])
        let frame = DashboardHTML.Frame(csrfToken: "t", readOnly: false)
        let status = model.report.articles[0]
        for page in [DashboardHTML.dashboard(model, frame: frame), DashboardHTML.article(model, status, frame: frame),
                     DashboardHTML.articleList(model, filter: ArticleFilter(), page: 1, frame: frame)] {
            #expect(!page.contains("<img src=x"))
            #expect(!page.contains("<script>"))
        }
        #expect(!DashboardHTML.article(model, status, frame: DashboardHTML.Frame(csrfToken: "t", readOnly: true)).contains("sign-form"))
        // Nothing approved: the page says it would not be published, and why.
        #expect(DashboardHTML.article(model, status, frame: frame).contains("Not publishable now:</strong> no revision approved by every required role"))
    }

    /// Issue 33: the desk draws the revision its form signs (as the site draws pages), with
    /// the changes since the last full approval beside it; the diff page signs the same one.
    @Test func theDeskShowsAndSignsOneRevision() throws {
        let model = Self.model([("pml", Fixture.facts(blob: "b2"))])
        let status = model.report.articles[0]
        let frame = DashboardHTML.Frame(csrfToken: "t", readOnly: false)
        let words = WordDiff(old: "Most people feel tired.", new: "Most people feel tired, short of breath.")
        let page = DashboardHTML.article(model, status, change: .changed(from: "b1", words), frame: frame)
        #expect(page.contains("src=\"/preview/pml.html?revision=b2\""))
        #expect(page.contains("data-blob=\"b2\""))
        #expect(page.contains("data-check=\"/api/articles/pml\""))
        #expect(page.contains("<ins>"))
        #expect(page.contains("Revision <code>b2</code>, the one you sign"))
        let diff = DashboardHTML.diff(model, status, .changed(from: "b1", words), frame: frame)
        #expect(diff.contains("id=\"sign-form\"") && diff.contains("data-blob=\"b2\""))
        #expect(!DashboardHTML.diff(model, status, .neverApproved, frame: DashboardHTML.Frame(csrfToken: "t", readOnly: true)).contains("sign-form"))
        // The preview of that revision is its text; a revision the facts do not hold is none.
        let facts = try #require(model.facts[status.path])
        let shown = try #require(SitePreview.page(facts, status, configuration: model.configuration, revision: "b2"))
        #expect(shown.contains(MarkdownHTML.escape(facts.article.title ?? "")))
        #expect(SitePreview.page(facts, status, configuration: model.configuration, revision: "gone") == nil)
    }

    @Test func theQueueNamesPeople() {
        let model = Self.model([("pml", Fixture.facts())])
        let page = DashboardHTML.queue(model, reviewer: nil, frame: DashboardHTML.Frame(csrfToken: "t", readOnly: false))
        for reviewer in Fixture.reviewers where model.queue.items.contains(where: { $0.reviewers.contains(reviewer.id) }) {
            #expect(page.contains(MarkdownHTML.escape(reviewer.name)))
        }
        #expect(!model.queue.items.isEmpty)
    }

    /// Issue 33, item 4: a reviewer's start page lists what needs them, most urgent first, by
    /// title and with people's names; the dashboard's counts lead to what they count.
    @Test func aReviewersStartPageListsWhatNeedsThem() throws {
        let model = Self.model([("pml", Fixture.facts())])
        let frame = DashboardHTML.Frame(csrfToken: "t", readOnly: false)
        let reviewer = try #require(Fixture.reviewers.first { r in model.queue.items.contains { r.roles.contains($0.role) } })
        let page = DashboardHTML.dashboard(model, frame: frame, reviewer: reviewer)
        #expect(page.contains("What needs your review, \(MarkdownHTML.escape(reviewer.name))"))
        #expect(page.contains("<ol class=\"next\">"))
        #expect(page.contains(">\(MarkdownHTML.escape(model.queue(for: reviewer)[0].title))</a>"))
        #expect(page.contains("<option selected value=\"\(reviewer.id)\">"))
        let everyone = DashboardHTML.dashboard(model, frame: frame)
        #expect(!everyone.contains("What needs your review"))
        #expect(everyone.contains("id=\"me-form\""))
    }

    /// Issue 32, item 5: the dashboard's blocking count names its unit, and gives the findings
    /// as `check` counts them beside the articles.
    @Test func theBlockingCountNamesItsUnits() {
        let model = Self.model([("pml", Fixture.facts())])
        let articles = model.report.articles.filter { $0.findings.contains { $0.severity == .error } }.count
        let findings = model.report.articles.reduce(0) { $0 + $1.findings.filter { $0.severity == .error }.count }
        let page = DashboardHTML.dashboard(model, frame: DashboardHTML.Frame(csrfToken: "t", readOnly: false))
        #expect(page.contains("Articles with blocking findings (\(articles) article\(articles == 1 ? "" : "s"), \(findings) finding\(findings == 1 ? "" : "s"))"), "\(page)")
    }
}


