import Paths
import Foundation
import GitKit
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// Issue 18: what a team adopting review on an existing repository needs first.
@Suite struct AdoptionTests {
    static let asOf = Day("2026-05-01")!

    private func requests(_ slugs: [String], as reviewer: String = "ann", role: String = "medical") -> [SignOffRequest] {
        slugs.map { SignOffRequest(article: $0, reviewer: reviewer, role: role, decision: .approve, comment: "batch",
                                   timestamp: ContentRepository.time("2026-04-09")) }
    }

    @Test func oneReviewerApprovesManyArticlesInOneCommit() throws {
        let content = try ContentRepository(articles: ["a": .neurology, "b": .neurology, "c": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.builder.checkoutHead()
        let before = try content.repository.headCommit()
        let (signOffs, commit) = try content.session().decisions.record(requests(["a", "b", "c"]), key: content.key("ann")!)
        #expect(signOffs.map(\.signOff.article) == ["Articles/a.md", "Articles/b.md", "Articles/c.md"])
        let made = try content.repository.commit(ObjectID(hex: commit)!)
        #expect(made.parents == [before])
        let report = try content.status(asOf: "2026-05-01")
        #expect(report.articles.allSatisfy { $0.approvals.map(\.role) == ["medical"] && $0.findings.allSatisfy { $0.rule != .badSignature } })
    }

    @Test func oneRefusalWritesNothingAndNamesIt() throws {
        let content = try ContentRepository(articles: ["a": .neurology, "b": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.edit("b", lastUpdated: "2026-04-08", author: "Ann")  // ann's own edit: she may not approve b
        try content.builder.checkoutHead()
        let before = try content.repository.headCommit()
        #expect {
            try content.session().decisions.record(requests(["a", "b"]), key: content.key("ann")!)
        } throws: { error in
            let text = (error as? ReviewError)?.description ?? ""
            return text.contains("refused 1 of 2 articles, so nothing was written") && text.contains("Articles/b.md") && text.contains("self-approval")
        }
        #expect(try content.repository.headCommit() == before)
    }

    @Test func aFolderIsEveryArticleBelowIt() throws {
        let content = try ContentRepository(articles: ["a": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.commit("nested", [.write("Articles/neuro/x.md", ContentRepository.article("x", category: .neurology, lastUpdated: "2026-04-07")),
                                      .write("Articles/neuro/deep/y.md", ContentRepository.article("y", category: .neurology, lastUpdated: "2026-04-07"))],
                           on: "2026-04-07")
        #expect(try content.session().decisions.articlePaths(inFolder: "Articles/neuro") == ["Articles/neuro/deep/y.md", "Articles/neuro/x.md"])
        #expect(throws: ReviewError.self) { try content.session().decisions.articlePaths(inFolder: "Articles/none") }
    }

    @Test func repoNamingASubfolderOrNothing() throws {
        let content = try ContentRepository(articles: ["a": .neurology], reviewers: [.medical("ann")])
        try content.builder.checkoutHead()
        #expect(try ReviewSession.open(content.path + "/Articles").reading.status(asOf: Self.asOf).articles.map(\.slug) == ["a"])
        #expect {
            try ReviewSession.open(content.path + "/missing")
        } throws: { error in
            (error as? ReviewError)?.description.contains("missing: error: no such file or directory") == true
        }
    }

    @Test func newRefusesWhatCheckWould() throws {
        let content = try ContentRepository(articles: ["a": .neurology], reviewers: [.medical("ann")])
        try content.builder.checkoutHead()
        let session = try content.session()
        #expect(throws: ReviewError.self) { try session.authoring.newArticle(slug: "b", title: "  ", category: "neurology", section: nil, today: Self.asOf) }
        #expect(throws: ReviewError.self) { try session.authoring.newArticle(slug: "a", title: "A", category: "neurology", section: "other", today: Self.asOf) }
        #expect(throws: ReviewError.self) { try session.authoring.newArticle(slug: "B", title: "B", category: "neurology", section: nil, today: Self.asOf) }
    }

    @Test func anIgnoredBulkCommitIsNeverTheLastChange() throws {
        let content = try ContentRepository(articles: ["a": .neurology, "b": .neurology], reviewers: [.medical("ann")])
        let real = try content.edit("a", lastUpdated: "2026-04-08", body: "Real change.")
        // A bulk conversion on 2026-04-20 touches both (and the text readers see), without
        // bumping last-updated.
        let bulk = try content.builder.commit("Convert the notation", [
            .write("Articles/a.md", ContentRepository.article("a", category: .neurology, lastUpdated: "2026-04-08", body: "Real change, converted.")),
            .write("Articles/b.md", ContentRepository.article("b", category: .neurology, lastUpdated: "2026-04-07", body: "Text, converted.")),
        ], time: ContentRepository.time("2026-04-20"))
        let before = try content.status(asOf: "2026-05-01")
        #expect(before.articles.allSatisfy { $0.lastChangedCommit == bulk.hex && $0.findings.contains { $0.rule == .lastUpdatedNotBumped } })
        try content.commit("ignore the conversion", [.write(IgnoreRevisions.path, "# notation\n\(bulk.hex)\n")], on: "2026-04-21")
        let after = try content.status(asOf: "2026-05-01")
        let a = after.articles.first { $0.slug == "a" }!, b = after.articles.first { $0.slug == "b" }!
        #expect(a.lastChangedCommit == real.hex && b.lastChangedCommit != bulk.hex)
        #expect(after.articles.allSatisfy { !$0.findings.contains { $0.rule == .lastUpdatedNotBumped } })
        // An abbreviated id is refused with its line.
        #expect(throws: ReviewError.self) { try IgnoreRevisions.parse(Array("# x\n\(bulk.hex.prefix(7))\n".utf8)) }
    }

    // MARK: Layout and front-matter mapping (items 1 and 2)

    static let policy = """
        roles: [medical, editorial]
        categories:
          reference:
            required-roles: [editorial]
            review-interval-days: 365
            due-soon-days: 30
          blog:
            required-roles: [editorial]
            review-interval-days: 730
            due-soon-days: 30

        """

    /// A repository shaped like MicrosoftDocs/windows-powershell-docs: version folders holding
    /// the same mixed-case cmdlet pages, `ms.date: MM/DD/YYYY`, toc.yml and images beside them.
    private func docsRepository() throws -> ContentRepository {
        let content = try ContentRepository(articles: [:], reviewers: [.editorial("ed")])
        func page(_ name: String, _ date: String) -> String {
            "---\ntitle: \(name)\nms.date: \(date)\nModule Name: ADFS\nschema: 2.0.0\n---\n\n# \(name)\n\n## SYNOPSIS\n\nRetrieves the certificates.\n"
        }
        try content.commit("import docs", [
            .write(Policy.path, Self.policy + """
                content:
                  roots: [docset]
                  exclude: ["docset/docs-conceptual/**"]
                  unique-slugs: folder
                front-matter:
                  last-updated: ms.date
                  date-format: MM/DD/YYYY
                  categories-by-path:
                    "docset/**": reference

                """),
            .write("docset/winserver2016-ps/ADFS/Get-AdfsCertificate.md", page("Get-AdfsCertificate", "12/20/2016")),
            .write("docset/winserver2019-ps/ADFS/Get-AdfsCertificate.md", page("Get-AdfsCertificate", "03/14/2019")),
            .write("docset/winserver2019-ps/ADFS/toc.yml", "- name: ADFS\n"),
            .write("docset/winserver2019-ps/ADFS/media/diagram.png", "PNG"),
            .write("docset/docs-conceptual/overview.md", "no front matter at all\n"),
        ], on: "2026-04-08")
        try content.builder.checkoutHead()
        return content
    }

    @Test func aDocsRepositoryIsAdoptedAsItIs() throws {
        let content = try docsRepository()
        let report = try content.status(asOf: "2026-05-01")
        #expect(report.articles.map(\.path) == ["docset/winserver2016-ps/ADFS/Get-AdfsCertificate.md", "docset/winserver2019-ps/ADFS/Get-AdfsCertificate.md"])
        #expect(report.articles.map(\.lastUpdated) == [Day("2016-12-20"), Day("2019-03-14")])
        #expect(report.articles.allSatisfy { $0.category == "reference" && $0.slug == "get-adfscertificate" })
        #expect(report.articles.flatMap(\.findings).filter { $0.rule == .invalidFrontMatter }.isEmpty, "\(report.articles.flatMap(\.findings))")
        #expect(report.otherFindings.allSatisfy { $0.rule == .ungovernedConfiguration }, "\(report.otherFindings)")
        // One version's page approved by path: its record is filed under its own path.
        let (records, _) = try content.session().decisions.record([SignOffRequest(
            article: "docset/winserver2019-ps/ADFS/Get-AdfsCertificate.md", reviewer: "ed", role: "editorial", decision: .approve, comment: "",
            timestamp: ContentRepository.time("2026-04-09"))], key: content.key("ed")!)
        #expect(records.map(\.path) == ["Reviews/signoffs/winserver2019-ps--adfs--get-adfscertificate/20260409T120000Z-ed-editorial-7e84c3d7.yml"])
        let after = try content.status(asOf: "2026-05-01")
        #expect(after.articles.map(\.state) == [.draft, .approved])
    }

    @Test func aSiteWithItsOwnCategoryKeyAndTimestampsIsAdopted() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.editorial("ed")])
        try content.commit("import site", [
            .write(Policy.path, Self.policy + """
                content:
                  roots: [apps/site/pages/en]
                front-matter:
                  last-updated: date
                  date-format: timestamp
                  category: review-category
                  categories-by-path:
                    "apps/site/pages/en/blog/**": blog
                    "**": reference

                """),
            .write("apps/site/pages/en/blog/community/node-v5.md",
                   "---\ndate: '2015-10-30T23:30:00.000-02:00'\ncategory: community\ntitle: Node.js v5\nlayout: blog-post\n---\n\nText.\n"),
            .write("apps/site/pages/en/about/get-involved/index.md", "---\ntitle: Get involved\ndate: '2024-01-05T12:00:00Z'\n---\n\nJoin us.\n"),
            .write("apps/site/pages/ar/about/index.md", "---\ntitle: عن\n---\n"),
        ], on: "2026-04-08")
        let report = try content.status(asOf: "2026-05-01")
        #expect(report.articles.map(\.slug) == ["get-involved", "node-v5"])
        #expect(report.articles.map(\.category) == ["reference", "blog"])
        // 23:30 at UTC-2 is the next day in UTC.
        #expect(report.articles.map(\.lastUpdated) == [Day("2024-01-05"), Day("2015-10-31")])
        #expect(report.articles.flatMap(\.findings).filter { $0.rule == .invalidFrontMatter }.isEmpty, "\(report.articles.flatMap(\.findings))")
    }

    @Test func globs() {
        #expect(Glob("**/*.md").matches("a/b/c.md") && Glob("**/*.md").matches("c.md") && !Glob("**/*.md").matches("c.yml"))
        #expect(Glob("docset/**").matches("docset/x/y.md") && !Glob("docset/**").matches("other/x.md"))
        #expect(Glob("docs/*.md").matches("docs/a.md") && !Glob("docs/*.md").matches("docs/a/b.md"))
        #expect(Glob("a/?.md").matches("a/b.md") && !Glob("a/?.md").matches("a/bc.md"))
        #expect(ContentRoots.slugified("Get-AdfsCertificate") == "get-adfscertificate")
        #expect(ContentRoots.slugified("About_Windows PowerShell 5.1") == "about-windows-powershell-5-1")
        var roots = ContentRoots()
        roots.roots = ["docs/en", "docs/fr"]
        roots.uniqueSlugs = .root
        #expect(roots.slugScope(of: "docs/fr/a/b.md") == "docs/fr" && roots.recordDirectory(of: "docs/fr/a/b.md") == "docs--fr--b")
        #expect(roots.walkDirectory == "docs" && roots.isArticle("docs/en/x.md") && !roots.isArticle("docs/de/x.md"))
    }

    @Test func aBaselineSpreadsFirstReviewsAndClaimsNoReview() throws {
        var articles: [String: ContentRepository.Category] = [:]
        for i in 0..<60 { articles["page-\(i)"] = .general }
        let content = try ContentRepository(articles: articles, reviewers: [.editorial("ed")], on: "2016-12-20")
        let before = try content.status(asOf: "2026-12-01")
        #expect(before.articles.allSatisfy { $0.freshness == .overdue })
        try content.commit("baseline", [.write(Policy.path, ContentRepository.policy + "baseline:\n  from: 2026-12-01\n  spread-weeks: 12\n")],
                           on: "2026-12-01")
        let after = try content.status(asOf: "2026-12-01")
        let due = after.articles.compactMap(\.nextReviewDue)
        #expect(due.count == 60 && due.allSatisfy { $0 >= Day("2026-12-01")! && $0 < Day("2026-12-01")!.adding(days: 84) })
        #expect(Set(due).count > 30, "spread over the weeks, not one day")
        #expect(after.articles.allSatisfy { $0.state == .draft && $0.lastReviewed == nil && $0.freshness != .overdue })
        // Stable: the same path falls due on the same day in another run.
        #expect(try content.status(asOf: "2026-12-01").articles.map(\.nextReviewDue) == after.articles.map(\.nextReviewDue))
    }

    @Test func newWritesTheRepositorysOwnKeys() throws {
        let content = try docsRepository()
        let path = try content.session().authoring.newArticle(slug: "get-thing", title: "Get-Thing", category: "reference", section: "winserver2025-ps/ADFS",
                                                    today: Day("2026-05-02")!)
        #expect(path == "docset/winserver2025-ps/ADFS/get-thing.md")
        let text = try String(contentsOfFile: content.path + "/" + path, encoding: .utf8)
        #expect(text.contains("ms.date: 05/02/2026\n") && !text.contains("last-updated") && !text.contains("category:"), "\(text)")
        let (article, findings) = ArticleParser.parse(path: GitPath(path), bytes: Array(text.utf8), content: ContentRoots(),
                                                      frontMatter: try PolicyParser.parse(Array(try content.text(Policy.path).utf8), disclaimerIDs: ["medical"]).frontMatter)
        #expect(article.lastUpdated == Day("2026-05-02") && article.category == "reference" && findings.filter { $0.rule == .invalidFrontMatter }.isEmpty,
                "\(findings)")
    }

    @Test func pagesWithOneNameInSeveralFoldersArePublishedApart() throws {
        let content = try docsRepository()
        try content.commit("link", [.write("docset/winserver2019-ps/ADFS/Get-AdfsCertificate.md",
                                           "---\ntitle: Get-AdfsCertificate\nms.date: 04/09/2026\n---\n\n# Get-AdfsCertificate\n\n## SYNOPSIS\n\nSee [the 2016 page](../../winserver2016-ps/ADFS/Get-AdfsCertificate.md).\n")],
                           on: "2026-04-09")
        try content.builder.checkoutHead()
        _ = try content.session().decisions.record(["docset/winserver2016-ps/ADFS/Get-AdfsCertificate.md", "docset/winserver2019-ps/ADFS/Get-AdfsCertificate.md"].map {
            SignOffRequest(article: $0, reviewer: "ed", role: "editorial", decision: .approve, comment: "", timestamp: ContentRepository.time("2026-04-10"))
        }, key: content.key("ed")!)
        let outcome = try content.session().publishing.publish(asOf: Day("2026-04-10")!, dryRun: false, now: ContentRepository.time("2026-04-10"))
        #expect(outcome.plan.entries.count == 2, "\(outcome.plan.summaryLines)")
        #expect(outcome.plan.entries.map(\.slug) == ["winserver2016-ps--adfs--get-adfscertificate", "winserver2019-ps--adfs--get-adfscertificate"])
        let site = TemporaryDirectory()
        #expect(try content.session().publishing.renderSite(to: site.path + "/site") == 2)
        let page = try String(contentsOfFile: site.path + "/site/winserver2019-ps--adfs--get-adfscertificate.html", encoding: .utf8)
        #expect(page.contains("href=\"winserver2016-ps--adfs--get-adfscertificate.html\""), "\(page)")
    }
}
