import Paths
import GitKit
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// Issue 32, item 3: `last-updated-not-bumped` asks for a bump only when the text readers see
/// changed, never for the creating commit, cites the newest such change, tolerates a few days;
/// a publication date never asks for one, and last-updated may come from history.
@Suite struct LastUpdatedPrecisionTests {
    private func notBumped(_ content: ContentRepository, _ slug: String, asOf: String = "2026-06-01") throws -> [Finding] {
        try content.status(asOf: asOf).articles.first { $0.slug == slug }!.findings.filter { $0.rule == .lastUpdatedNotBumped }
    }

    private func write(_ content: ContentRepository, _ slug: String, _ text: String, on day: String) throws -> ObjectID {
        let id = try content.builder.commit("Edit \(slug)", [.write(GitPath("Articles/\(slug).md"), text)], time: ContentRepository.time(day))
        try content.builder.checkoutHead()
        return id
    }

    private func page(title: String = "A", lastUpdated: String = "2026-01-01", tags: String = "[a]", body: String) -> String {
        "---\ntitle: \(title)\nlast-updated: \(lastUpdated)\ncategory: neurology\ntags: \(tags)\n---\n\n\(body)\n\n\(ContentRepository.disclaimer)\n"
    }

    @Test func aChangeReadersCannotSeeNeedsNoBump() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2026-01-01")
        _ = try write(content, "a", page(body: "The virus stays dormant. See [the leaflet](leaflet.md)."), on: "2026-01-01")
        // Front matter outside the reviewed fields, rewrapped text, a new link target: no bump.
        _ = try write(content, "a", page(tags: "[b, c]", body: "The virus stays\ndormant.  See [the leaflet](https://example.org/leaflet)."), on: "2026-03-01")
        #expect(try notBumped(content, "a").isEmpty)
        // A word readers read changes: that needs one.
        let real = try write(content, "a", page(tags: "[b, c]", body: "The virus stays latent. See [the leaflet](https://example.org/leaflet)."), on: "2026-04-01")
        _ = try write(content, "a", page(tags: "[d]", body: "The virus stays latent. See [the leaflet](https://example.org/leaflet)."), on: "2026-04-20")
        let found = try notBumped(content, "a")
        // The newest change readers can see is cited, not the later metadata commit.
        #expect(found.count == 1 && found[0].message.contains("2026-04-01") && found[0].message.contains(String(real.hex.prefix(7))), "\(found)")
    }

    /// Pages whose searches stop at different depths, read in one run: the search goes in rounds
    /// (each page until it needs a version not read yet; those are read on all cores, then the
    /// pages go on), and each page gets its own answer, the one it gets alone.
    @Test func searchesOfDifferentDepthsInOneRunEachFindTheirOwnChange() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2026-01-01")
        var cited: [String: ObjectID] = [:]
        for (n, slug) in ["a", "b", "c", "d"].enumerated() {
            _ = try write(content, slug, page(body: "Version one of \(slug)."), on: "2026-01-01")
            cited[slug] = try write(content, slug, page(body: "Version two of \(slug)."), on: "2026-02-0\(n + 1)")
            // Then n edits readers cannot see (tags, rewrapping), each another step for the search.
            for k in 0..<n {
                _ = try write(content, slug, page(tags: "[t\(k)]", body: "Version two\(String(repeating: " ", count: k + 1))of \(slug)."),
                              on: "2026-03-0\(k + 1)")
            }
        }
        let report = try content.status(asOf: "2026-06-01")
        for slug in ["a", "b", "c", "d"] {
            let found = report.articles.first { $0.slug == slug }!.findings.filter { $0.rule == .lastUpdatedNotBumped }
            #expect(found.count == 1 && found[0].message.contains(String(cited[slug]!.hex.prefix(7))), "\(slug): \(found)")
        }
        // The same answers without caches, and read again from the text-change cache.
        let uncached = try content.session(usesCaches: false).reading.status(asOf: Day("2026-06-01")!)
        #expect(uncached.articles.map(\.findings) == report.articles.map(\.findings))
        #expect(try content.status(asOf: "2026-06-01").articles.map(\.findings) == report.articles.map(\.findings))
    }

    @Test func theCreatingCommitNeverNeedsABump() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2026-01-01")
        // Written and dated on the 1st of March, merged ten days later.
        _ = try write(content, "a", page(lastUpdated: "2026-03-01", body: "New article."), on: "2026-03-11")
        #expect(try notBumped(content, "a").isEmpty)
        // Its next real edit, a month on, does.
        _ = try write(content, "a", page(lastUpdated: "2026-03-01", body: "New article, corrected."), on: "2026-04-11")
        #expect(try notBumped(content, "a").count == 1)
    }

    /// The same for an article whose whole history is followed anyway (it has a sign-off): its
    /// one change is its creation (it had been flagged).
    @Test func theCreatingCommitOfAnArticleWithSignOffsNeedsNoBumpEither() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2026-01-01")
        _ = try write(content, "b", page(lastUpdated: "2026-03-01", body: "New article."), on: "2026-03-11")
        try content.signOff("b", as: "ann", role: "medical", on: "2026-03-12")
        #expect(try notBumped(content, "b").isEmpty)
        #expect(try content.session(usesCaches: false).reading.status(asOf: Day("2026-06-01")!).articles[0].findings.allSatisfy { $0.rule != .lastUpdatedNotBumped })
    }

    @Test func aFewDaysBetweenTheDateAndTheCommitAreTolerated() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2026-01-01")
        _ = try write(content, "a", page(lastUpdated: "2026-01-01", body: "First."), on: "2026-01-01")
        _ = try write(content, "a", page(lastUpdated: "2026-03-01", body: "Second."), on: "2026-03-04")
        #expect(try notBumped(content, "a").isEmpty)
        _ = try write(content, "a", page(lastUpdated: "2026-03-01", body: "Third."), on: "2026-03-05")
        #expect(try notBumped(content, "a").count == 1)
    }

    /// nodejs.org's blog `date` is the day a post was published: mapped to `published`, it is read
    /// and checked, never bumped; pages without a last-updated take their last change.
    @Test func aPublicationDateNeverAsksForABumpAndLastUpdatedMayComeFromHistory() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.editorial("ed")], on: "2026-01-01")
        try content.commit("import site", [
            .write(Policy.path, """
                roles: [medical, editorial]
                categories:
                  blog:
                    required-roles: [editorial]
                    review-interval-days: 730
                    due-soon-days: 30
                content:
                  roots: [pages]
                front-matter:
                  published: date
                  last-updated-from: history
                  date-format: timestamp
                  categories-by-path:
                    "**": blog
                  required-by-path:
                    "pages/blog/*/**": [date]

                """),
            .write("pages/blog/release/v1.md", "---\ntitle: v1\ndate: '2026-01-05T10:00:00Z'\n---\n\nReleased.\n"),
            .write("pages/blog/index.md", "---\ntitle: Blog\n---\n\nAll posts.\n"),
            .write("pages/blog/release/v2.md", "---\ntitle: v2\n---\n\nReleased.\n"),
        ], on: "2026-01-06")
        try content.commit("retitle", [.write("pages/blog/release/v1.md", "---\ntitle: Node v1\ndate: '2026-01-05T10:00:00Z'\n---\n\nReleased today.\n")],
                           on: "2026-03-01")
        let report = try content.status(asOf: "2026-06-01")
        let v1 = report.articles.first { $0.path == "pages/blog/release/v1.md" }!
        #expect(!v1.findings.contains { $0.rule == .lastUpdatedNotBumped || $0.rule == .invalidFrontMatter }, "\(v1.findings)")
        #expect(v1.lastUpdated == Day("2026-03-01"))
        // Only posts must have the date: not the blog's index page.
        let missing = report.articles.filter { $0.findings.contains { $0.rule == .invalidFrontMatter } }.map(\.path)
        #expect(missing == ["pages/blog/release/v2.md"])
    }

    /// A deletion is not a change of text: a file deleted and put back with the same text (a
    /// folder renamed in letter case and back, on windows-powershell-docs) read as "the text
    /// changed" at the deletion, since the deleted file compared as having no text.
    @Test func aFileDeletedAndPutBackUnchangedNeedsNoBump() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2026-01-01")
        let text = page(body: "The virus stays dormant.")
        _ = try write(content, "a", text, on: "2026-01-01")
        try content.builder.commit("Move away", [.remove("Articles/a.md"), .write("Articles/old/a.md", text)], time: ContentRepository.time("2026-03-01"))
        try content.builder.commit("Move back", [.remove("Articles/old/a.md"), .write("Articles/a.md", text)], time: ContentRepository.time("2026-03-02"))
        try content.builder.checkoutHead()
        #expect(try notBumped(content, "a").isEmpty)
        // Listing the commit that put it back in ignore-revisions leaves the deletion as the newest
        // change at the path: still no text change.
        let back = try content.repository.headCommit()
        try content.builder.commit("ignore", [.write("Reviews/ignore-revisions", back.hex + "\n")], time: ContentRepository.time("2026-03-03"))
        try content.builder.checkoutHead()
        #expect(try notBumped(content, "a").isEmpty)
        // Put back saying something else: that is a change readers see.
        _ = try write(content, "a", page(body: "The virus stays latent."), on: "2026-04-01")
        #expect(try notBumped(content, "a").count == 1)
    }

    /// A pull request that dates the page on its first day and edits the text on its seventh,
    /// merged on its eighth, shows readers the new text with the new date: readers never saw that
    /// text under an older one (windows-powershell-docs: six findings, all one pull request). A
    /// later pull request that changes the text without a bump is still a finding.
    @Test func aChangeThatArrivedWithItsDateNeedsNoBump() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2026-01-01")
        let base = try write(content, "a", page(lastUpdated: "2026-01-01", body: "First."), on: "2026-01-01")
        let path = GitPath("Articles/a.md")
        let dated = try content.builder.commit("Date it", [.write(path, page(lastUpdated: "2026-03-01", body: "Second."))],
                                               on: "refs/heads/pr", parents: [base], time: ContentRepository.time("2026-03-01"))
        let edited = page(lastUpdated: "2026-03-01", body: "Second, corrected.")
        _ = try content.builder.commit("Review feedback", [.write(path, edited)], on: "refs/heads/pr", time: ContentRepository.time("2026-03-08"))
        _ = try content.builder.commit("Elsewhere", [.write("Articles/b.md", page(body: "Other."))], time: ContentRepository.time("2026-03-05"))
        let pr = try #require(try content.repository.referenceTarget("refs/heads/pr"))
        try content.builder.merge(pr, [.write(path, edited)], time: ContentRepository.time("2026-03-09"))
        try content.builder.checkoutHead()
        #expect(try notBumped(content, "a").isEmpty)
        // The same answer from the cache, and without caches.
        #expect(try notBumped(content, "a").isEmpty)
        #expect(try content.session(usesCaches: false).reading.status(asOf: Day("2026-06-01")!).articles.first { $0.slug == "a" }!
            .findings.allSatisfy { $0.rule != .lastUpdatedNotBumped })
        // Had the edit landed on the main line on its own, it would need the bump.
        let line = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2026-01-01")
        _ = try write(line, "a", page(lastUpdated: "2026-01-01", body: "First."), on: "2026-01-01")
        _ = try write(line, "a", page(lastUpdated: "2026-03-01", body: "Second."), on: "2026-03-01")
        _ = try write(line, "a", edited, on: "2026-03-08")
        #expect(try notBumped(line, "a").count == 1)
        _ = dated
        // A second pull request, later, that edits the text and keeps the date: a finding, citing it.
        let later = try content.builder.commit("Edit", [.write(path, page(lastUpdated: "2026-03-01", body: "Third."))],
                                               on: "refs/heads/pr2", parents: [try content.repository.headCommit()],
                                               time: ContentRepository.time("2026-04-10"))
        try content.builder.merge(later, [.write(path, page(lastUpdated: "2026-03-01", body: "Third."))], time: ContentRepository.time("2026-04-11"))
        try content.builder.checkoutHead()
        let found = try notBumped(content, "a")
        #expect(found.count == 1 && found[0].message.contains(String(later.hex.prefix(7))), "\(found)")
    }

    /// A commit that edits the text and sets last-updated to the day it was written, landing ten
    /// days later, did bump it.
    @Test func anEditThatSetsItsOwnDateNeedsNoOtherBump() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2026-01-01")
        _ = try write(content, "a", page(lastUpdated: "2026-01-01", body: "First."), on: "2026-01-01")
        _ = try write(content, "a", page(lastUpdated: "2026-03-01", body: "Second."), on: "2026-03-11")
        #expect(try notBumped(content, "a").isEmpty)
    }

    /// A revision listed in ignore-revisions is not the answer, and its edits are not blamed on
    /// the next commit: that one is compared with the ignored revision's text, not the text before
    /// it (windows-powershell-docs: a commit that only blanked front-matter fields was cited for
    /// the cmdlet list an ignored commit had added, on four pages).
    @Test func anIgnoredRevisionsEditIsNotBlamedOnTheNextCommit() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2026-01-01")
        _ = try write(content, "a", page(body: "The virus stays dormant."), on: "2026-01-01")
        let bulk = try write(content, "a", page(body: "The virus stays dormant. Bulk template text."), on: "2026-03-01")
        _ = try write(content, "a", page(tags: "[b]", body: "The virus stays dormant. Bulk template text."), on: "2026-03-10")
        try content.builder.commit("ignore", [.write("Reviews/ignore-revisions", bulk.hex + "\n")], time: ContentRepository.time("2026-03-11"))
        try content.builder.checkoutHead()
        #expect(try notBumped(content, "a").isEmpty)
        // Not ignored, the bulk commit is what changed the text.
        try content.builder.commit("unignore", [.write("Reviews/ignore-revisions", "\n")], time: ContentRepository.time("2026-03-12"))
        try content.builder.checkoutHead()
        let found = try notBumped(content, "a")
        #expect(found.count == 1 && found[0].message.contains(String(bulk.hex.prefix(7))), "\(found)")
    }

    /// A merge that only puts together its sides' edits, each listed in ignore-revisions, wrote
    /// nothing readers need a date for (windows-powershell-docs: a merge of main into a pull
    /// request was blamed for the two formatting commits it joined). A merge that resolves them
    /// with words of its own, or brings a change nobody listed, still needs the bump; so does one
    /// that brings a commit dated before last-updated: readers met its text with the merge.
    @Test func aMergeOfOnlyListedChangesIsNotBlamed() throws {
        let path = GitPath("Articles/a.md")
        func build(resolution: String, sideDay: String = "2026-03-01", listed: (side: Bool, main: Bool) = (true, true))
            throws -> (content: ContentRepository, merge: ObjectID) {
            let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2025-12-01")
            let base = try write(content, "a", page(body: "Line one.\n\nLine two."), on: "2025-12-01")
            let side = try content.builder.commit("Side", [.write(path, page(body: "Line one, reworded.\n\nLine two."))],
                                                  on: "refs/heads/side", parents: [base], time: ContentRepository.time(sideDay))
            let main = try write(content, "a", page(body: "Line one.\n\nLine two, reworded."), on: "2026-03-02")
            let merge = try content.builder.merge(side, [.write(path, page(body: resolution))], time: ContentRepository.time("2026-03-03"))
            let list = (listed.side ? [side.hex] : []) + (listed.main ? [main.hex] : [])
            try content.builder.commit("ignore", [.write("Reviews/ignore-revisions", list.joined(separator: "\n") + "\n")],
                                       time: ContentRepository.time("2026-03-04"))
            try content.builder.checkoutHead()
            return (content, merge)
        }
        let combined = "Line one, reworded.\n\nLine two, reworded."
        let clean = try build(resolution: combined)
        #expect(try notBumped(clean.content, "a").isEmpty)
        #expect(try clean.content.session(usesCaches: false).reading.status(asOf: Day("2026-06-01")!).articles.first { $0.slug == "a" }!
            .findings.allSatisfy { $0.rule != .lastUpdatedNotBumped })
        // Each of these is the merge's to answer for.
        let cases: [(String, ContentRepository, ObjectID)] = [
            ("words of its own", try build(resolution: "Line one, reworded.\n\nLine two, reworded and corrected.")),
            ("a line both sides kept dropped", try build(resolution: "Line one, reworded.")),
            ("a side not listed", try build(resolution: combined, listed: (false, true))),
            ("a side dated before last-updated, not listed", try build(resolution: combined, sideDay: "2025-12-20", listed: (false, true))),
        ].map { ($0.0, $0.1.content, $0.1.merge) }
        for (name, content, merge) in cases {
            let found = try notBumped(content, "a")
            #expect(found.count == 1 && found[0].message.contains(String(merge.hex.prefix(7))), "\(name): \(found)")
        }
    }
    /// A merge that resolved a conflict between two listed formatting commits by taking each
    /// hunk from one side or the other wrote nothing of its own either (windows-powershell-docs,
    /// cf9329d: main merged into a formatting branch, both sides having reworked the same
    /// paragraphs). Lines of its own, or a passage both sides had and the merge dropped, are
    /// still its to answer for.
    @Test func aMergeThatTookEachHunkFromASideIsNotBlamed() throws {
        let path = GitPath("Articles/a.md")
        // The branch merged into main, or (as cf9329d) main merged into the branch, which then
        // lands on main with the merge's text.
        func build(resolution: String, mainIntoBranch: Bool) throws -> (content: ContentRepository, merge: ObjectID) {
            let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2025-12-01")
            let base = try write(content, "a", page(body: "Take one.\n\nWith water."), on: "2025-12-01")
            let side = try content.builder.commit("Side", [.write(path, page(body: "Take `one`.\n\nWith `water`."))],
                                                  on: "refs/heads/side", parents: [base], time: ContentRepository.time("2026-03-01"))
            let main = try write(content, "a", page(body: "Take **one**, daily.\n\nWith **water**, always."), on: "2026-03-02")
            let resolved = [FileChange.write(path, page(body: resolution))]
            let merge: ObjectID
            if mainIntoBranch {
                merge = try content.builder.merge(main, into: "refs/heads/side", resolved, time: ContentRepository.time("2026-03-03"))
                try content.builder.merge(merge, resolved, time: ContentRepository.time("2026-03-03"))
            } else {
                merge = try content.builder.merge(side, resolved, time: ContentRepository.time("2026-03-03"))
            }
            try content.builder.commit("ignore", [.write("Reviews/ignore-revisions", side.hex + "\n" + main.hex + "\n")],
                                       time: ContentRepository.time("2026-03-04"))
            try content.builder.checkoutHead()
            return (content, merge)
        }
        for mainIntoBranch in [false, true] {
            for taken in ["Take `one`.\n\nWith **water**, always.", "Take **one**, daily.\n\nWith `water`."] {
                #expect(try notBumped(build(resolution: taken, mainIntoBranch: mainIntoBranch).content, "a").isEmpty, "\(mainIntoBranch) \(taken)")
            }
            let cases = [
                ("words of its own", "Take `one`.\n\nWith **water**, always and more."),
                ("a passage both sides had, dropped", "Take `one`."),
            ]
            for (name, resolution) in cases {
                let (content, merge) = try build(resolution: resolution, mainIntoBranch: mainIntoBranch)
                let found = try notBumped(content, "a")
                #expect(found.count == 1 && found[0].message.contains(String(merge.hex.prefix(7))), "\(mainIntoBranch) \(name): \(found)")
            }
        }
    }

    /// A section moved whole among its siblings (windows-powershell-docs, fd0cfcc: a parameter's
    /// section put in its alphabetical place) says what it said; a subsection moved under
    /// another heading, or a paragraph moved within a section, does not.
    @Test func aSectionMovedWholeNeedsNoBump() throws {
        func found(after body: String) throws -> [Finding] {
            let content = try ContentRepository(articles: [:], reviewers: [.medical("ann")], on: "2026-01-01")
            let before = "## Children\n\n### Dosage\n\nHalf a tablet.\n\n### Timing\n\nAt night.\n\n## Adults\n\nOne tablet.\n\nWith water.\n\n## Sources\n\nNHS."
            _ = try write(content, "a", page(body: before), on: "2026-01-01")
            _ = try write(content, "a", page(body: body), on: "2026-03-01")
            return try notBumped(content, "a")
        }
        #expect(try found(after: "## Adults\n\nOne tablet.\n\nWith water.\n\n## Children\n\n### Dosage\n\nHalf a tablet.\n\n### Timing\n\nAt night.\n\n## Sources\n\nNHS.").isEmpty)
        #expect(try found(after: "## Children\n\n### Timing\n\nAt night.\n\n### Dosage\n\nHalf a tablet.\n\n## Adults\n\nOne tablet.\n\nWith water.\n\n## Sources\n\nNHS.").isEmpty)
        for changed in [
            "## Children\n\n### Timing\n\nAt night.\n\n## Adults\n\nOne tablet.\n\nWith water.\n\n### Dosage\n\nHalf a tablet.\n\n## Sources\n\nNHS.",
            "## Children\n\n### Dosage\n\nHalf a tablet.\n\n### Timing\n\nAt night.\n\n## Adults\n\nWith water.\n\nOne tablet.\n\n## Sources\n\nNHS.",
            "## Adults\n\nOne tablet.\n\nWith water.\n\n## Children\n\n### Dosage\n\nHalf a tablet.\n\n### Timing\n\nAt noon.\n\n## Sources\n\nNHS.",
        ] {
            #expect(try found(after: changed).count == 1, "\(changed)")
        }
    }
}
