import Paths
import Foundation
import GitKit
import ReviewCore
@testable import ReviewKit
import Testing
import TestSupport

/// Issue 37, item 2: a translation knows its source, the source revision it was made from (its
/// basis), and falls behind, visibly, when the source's reviewed text moves on.
@Suite struct TranslationTests {
    static let policy = """
        roles: [medical, editorial, clinician-fr]
        categories:
          general:
            required-roles: [editorial]
            review-interval-days: 730
            due-soon-days: 60
          drugs:
            required-roles: [editorial]
            review-interval-days: 365
            due-soon-days: 30
            translation-outdated: error
            translation-roles: ["clinician-{lang}"]
        unreviewed-fields: [tags]
        content:
          unique-slugs: folder
        translations:
          folders:
            "Articles/{lang}/**": "Articles/en/**"

        """

    static let en: GitPath = "Articles/en/dose.md"
    static let fr: GitPath = "Articles/fr/dose.md"

    static func page(_ title: String, category: String = "general", body: String, extra: String = "") -> String {
        "---\ntitle: \(title)\nlast-updated: 2026-04-07\ncategory: \(category)\n\(extra)---\n\n\(body)\n"
    }

    /// English and French pages committed on 2026-04-07; the English approved on 2026-04-09.
    private func content(category: String = "general", frExtra: String = "") throws -> ContentRepository {
        let content = try ContentRepository(articles: [:], reviewers: [.editorial("ed"), .holding("clara", "clinician-fr")], policy: Self.policy)
        try content.commit("Pages", [.write(Self.en, Self.page("Dose", category: category, body: "Take 1 tablet a day.")),
                                     .write(Self.fr, Self.page("Dose", category: category, body: "Prenez 1 comprimé par jour.", extra: frExtra))],
                           on: "2026-04-07")
        try content.builder.checkoutHead()
        try content.signOff(Self.en.text, as: "ed", role: "editorial", on: "2026-04-09")
        return content
    }

    private func blob(_ path: GitPath, in content: ContentRepository) throws -> String {
        try content.repository.entry(at: path, inCommit: content.repository.headCommit())!.id.hex
    }

    private func status(_ content: ContentRepository, _ path: GitPath = TranslationTests.fr, asOf: String = "2026-05-01") throws -> ArticleStatus {
        try content.status(asOf: asOf).articles.first { $0.path == path }!
    }

    /// A new English text, approved on `day`.
    private func reapprove(_ content: ContentRepository, body: String, category: String = "general", on day: String) throws {
        try content.commit("English", [.write(Self.en, Self.page("Dose", category: category, body: body))], on: day)
        try content.builder.checkoutHead()
        try content.signOff(Self.en.text, as: "ed", role: "editorial", on: day)
    }

    @Test func aTranslationFallsBehindWhenItsSourceIsReapprovedAndCatchesUpWhenUpdated() throws {
        let content = try content()
        let v1 = try blob(Self.en, in: content)
        var fr = try status(content)
        #expect(fr.translation?.source == Self.en && fr.translation?.language == "fr")
        #expect(fr.translation?.basis == v1 && fr.translation?.basisFrom == .history)
        #expect(fr.translation?.outdated == false && fr.translation?.basisReviewed == Day("2026-04-09"))
        #expect(!fr.findings.contains { $0.rule == .translationOutdated })
        // The English dose changes and is approved: the French page says the old thing.
        try reapprove(content, body: "Take 2 tablets a day.", on: "2026-04-20")
        let v2 = try blob(Self.en, in: content)
        fr = try status(content)
        #expect(fr.translation?.outdated == true && fr.translation?.sourceApproved == v2 && fr.translation?.sourceReviewed == Day("2026-04-20"))
        let finding = try #require(fr.findings.first { $0.rule == .translationOutdated })
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("approved on 2026-04-20") && finding.message.contains("translated-from: \(v2)"))
        #expect(DetailReporter.render(fr, asOf: Day("2026-05-01")!, changeSummary: "-")
            .contains("translation of  Articles/en/dose.md (fr), made from \(v1.prefix(7)) (history); behind: source approved 2026-04-20"))
        // Status JSON says source and basis.
        let json = try JSONSerialization.jsonObject(with: Data(StatusJSONReporter.render(try content.status(asOf: "2026-05-01")).utf8)) as! [String: Any]
        let article = (json["articles"] as! [[String: Any]]).first { $0["path"] as? String == Self.fr.text }!
        let translation = article["translation"] as! [String: Any]
        #expect(translation["source"] as? String == Self.en.text && translation["basis"] as? String == v1
                && translation["basisFrom"] as? String == "history" && translation["outdated"] as? Bool == true)
        #expect((json["articles"] as! [[String: Any]]).first { $0["path"] as? String == Self.en.text }!["translation"] == nil)
        // The translator updates the French page: it is made from the approved English text now.
        try content.commit("French", [.write(Self.fr, Self.page("Dose", body: "Prenez 2 comprimés par jour."))], on: "2026-04-22")
        fr = try status(content)
        #expect(fr.translation?.basis == v2 && fr.translation?.outdated == false)
        #expect(!fr.findings.contains { $0.rule == .translationOutdated })
        withExtendedLifetime(content) {}
    }

    @Test func aTranslationOnlyMovedSinceHasNoBasisFromHistory() throws {
        let content = try content()
        try reapprove(content, body: "Take 2 tablets a day.", on: "2026-04-20")
        // Renamed after the English changed, unchanged: the English at the rename is not what it translates.
        let moved: GitPath = "Articles/fr-FR/dose.md"
        let text = try content.text(Self.fr)
        try content.commit("Move", [.remove(Self.fr), .write(moved, text)], on: "2026-04-22")
        let fr = try status(content, moved)
        #expect(fr.translation?.source == Self.en && fr.translation?.basis == nil && fr.translation?.outdated == true)
        let finding = try #require(fr.findings.first { $0.rule == .translationOutdated })
        #expect(finding.message.contains("only moved it") && finding.message.contains("set translated-from"))
        withExtendedLifetime(content) {}
    }

    @Test func aSourceChangeThatReadersCannotSeeLeavesTranslationsCurrent() throws {
        let content = try content()
        // Punctuation only: the reader text (letters and digits) is the same.
        try reapprove(content, body: "Take 1 tablet a day!", on: "2026-04-20")
        let fr = try status(content)
        #expect(fr.translation?.outdated == false)
        #expect(!fr.findings.contains { $0.rule == .translationOutdated })
        withExtendedLifetime(content) {}
    }

    /// What readers see of the source revisions compared is kept (``ReaderTextCache``) and read
    /// back by the next run, for the same front-matter keys only.
    @Test func sourceTextsAreKeptForTheNextRunUnderTheirKeys() throws {
        let content = try content()
        try reapprove(content, body: "Take 1 tablet a day!", on: "2026-04-20")
        #expect(try status(content).translation?.outdated == false)
        ReviewSession.finishCacheWrites()
        let current = try #require(ObjectID(hex: try blob(Self.en, in: content)))
        var stored = ReaderTextCache.load(content.repository)
        let entry = try #require(stored[current])
        #expect(entry == ReaderTextCodec.entry(try content.repository.blob(current), mapping: FrontMatterMapping()))
        #expect(stored.entries.count == 2)  // the basis and the current revision
        // An entry is used as stored: a different text under the same keys makes the source
        // read as changed…
        stored.insert(ReaderTextCodec.Entry(keys: entry.keys, digest: [UInt8](repeating: 7, count: 32)), for: current)
        stored.save(content.repository)
        ReviewSession.finishCacheWrites()
        #expect(try status(content).translation?.outdated == true)
        // …and one stored for other keys is derived again.
        var other = FrontMatterMapping()
        other.title = "heading"
        stored.insert(ReaderTextCodec.Entry(keys: ReaderTextCodec.keys(other), digest: [UInt8](repeating: 7, count: 32)), for: current)
        stored.save(content.repository)
        ReviewSession.finishCacheWrites()
        #expect(try status(content).translation?.outdated == false)
        #expect(try content.session(usesCaches: false).reading.status(asOf: Day("2026-05-01")!).articles.first { $0.path == Self.fr }?.translation?.outdated == false)
        withExtendedLifetime(content) {}
    }

    @Test func anUnapprovedSourceEditDoesNotMakeATranslationBehind() throws {
        let content = try content()
        try content.commit("English draft", [.write(Self.en, Self.page("Dose", body: "Take 3 tablets a day."))], on: "2026-04-20")
        var fr = try status(content)
        #expect(fr.translation?.outdated == false && !fr.findings.contains { $0.rule == .translationOutdated })
        // Translated from the draft: ahead of the approved English text, not behind it.
        let draft = try blob(Self.en, in: content)
        try content.commit("French", [.write(Self.fr, Self.page("Dose", body: "Prenez 3 comprimés par jour."))], on: "2026-04-21")
        fr = try status(content)
        #expect(fr.translation?.basis == draft && fr.translation?.sourceApproved != draft)
        #expect(fr.translation?.outdated == false && !fr.findings.contains { $0.rule == .translationOutdated })
        #expect(fr.translation?.basisReviewed == nil)
        withExtendedLifetime(content) {}
    }

    @Test func theFrontMatterBasisWinsOverHistory() throws {
        let content = try content()
        let v1 = try blob(Self.en, in: content)
        try reapprove(content, body: "Take 2 tablets a day.", on: "2026-04-20")
        let v2 = try blob(Self.en, in: content)
        // Edited after the English was re-approved, but it says it was made from the old English text.
        try content.commit("French", [.write(Self.fr, Self.page("Dose", body: "Prenez 1 comprimé par jour, avec de l'eau.", extra: "translated-from: \(v1)\n"))],
                           on: "2026-04-22")
        var fr = try status(content)
        #expect(fr.translation?.basis == v1 && fr.translation?.basisFrom == .frontMatter && fr.translation?.outdated == true)
        let finding = try #require(fr.findings.first { $0.rule == .translationOutdated })
        #expect(finding.line == 5 && finding.message.contains("as its translated-from says"))
        // translated-from updated to the approved English revision: current.
        try content.commit("French", [.write(Self.fr, Self.page("Dose", body: "Prenez 2 comprimés par jour.", extra: "translated-from: \(v2)\n"))],
                           on: "2026-04-23")
        fr = try status(content)
        #expect(fr.translation?.basis == v2 && fr.translation?.basisFrom == .frontMatter && fr.translation?.outdated == false)
        #expect(!fr.findings.contains { $0.rule == .translationOutdated || $0.rule == .translationSource })
        withExtendedLifetime(content) {}
    }

    @Test func anOlderFrontMatterBasisIsFoundInTheSourcesHistory() throws {
        // The English source has no sign-off, so its history is not followed by the first walk:
        // its first revision is confirmed by following it back.
        let content = try ContentRepository(articles: [:], reviewers: [.editorial("ed")], policy: Self.policy)
        try content.commit("English", [.write(Self.en, Self.page("Dose", body: "One."))], on: "2026-04-01")
        let v1 = try content.repository.entry(at: Self.en, inCommit: content.repository.headCommit())!.id.hex
        try content.commit("English", [.write(Self.en, Self.page("Dose", body: "Two."))], on: "2026-04-02")
        try content.commit("French", [.write(Self.fr, Self.page("Dose", body: "Un.", extra: "translated-from: \(v1)\n"))], on: "2026-04-03")
        let fr = try status(content)
        #expect(fr.translation?.basis == v1 && !fr.findings.contains { $0.rule == .translationSource })
        withExtendedLifetime(content) {}
    }

    @Test func aTranslatedFromThatIsNoRevisionOfTheSourceIsAnError() throws {
        let content = try content(frExtra: "translated-from: \(String(repeating: "ab", count: 20))\n")
        var fr = try status(content)
        let finding = try #require(fr.findings.first { $0.rule == .translationSource })
        #expect(finding.severity == .error && finding.line == 5 && finding.message.contains("no revision of Articles/en/dose.md"))
        // Not a blob id at all.
        try content.commit("French", [.write(Self.fr, Self.page("Dose", body: "Prenez.", extra: "translated-from: yesterday\n"))], on: "2026-04-22")
        fr = try status(content)
        #expect(fr.findings.contains { $0.rule == .translationSource && $0.severity == .error && $0.message.contains("is not a git blob id") })
        // The English page's own blob at another path (the French file) is no revision of the source either.
        let french = try blob(Self.fr, in: content)
        try content.commit("French", [.write(Self.fr, Self.page("Dose", body: "Prenez.", extra: "translated-from: \(french)\n"))], on: "2026-04-23")
        fr = try status(content)
        #expect(fr.findings.contains { $0.rule == .translationSource && $0.severity == .error })
        withExtendedLifetime(content) {}
    }

    @Test func aTranslationWhoseSourceIsGoneSaysSo() throws {
        let content = try content()
        try content.commit("Remove", [.remove(Self.en)], on: "2026-04-20")
        let fr = try status(content)
        #expect(fr.findings.contains { $0.rule == .translationSource && $0.message.contains("is not an article") })
        withExtendedLifetime(content) {}
    }

    @Test func aBlockingCategoryRequiresTheLanguagesRoleAndBlocksWhenBehind() throws {
        let content = try content(category: "drugs")
        // The French page needs a clinician reading French besides the editor.
        try content.signOff(Self.fr.text, as: "ed", role: "editorial", on: "2026-04-10")
        var fr = try status(content)
        #expect(fr.state == .inReview && fr.missingRoles == ["clinician-fr"])
        // The dashboard offers the French clinician the French page to sign.
        let evaluation = try content.session().reading.evaluate(asOf: Day("2026-05-01")!)
        let model = DashboardModel(articles: evaluation.snapshot.articles, report: evaluation.report,
                                   configuration: evaluation.snapshot.configuration(asOf: Day("2026-05-01")!), queue: try ReviewSession.Reading.queue(evaluation))
        #expect(model.requiredRoles(of: fr) == ["editorial", "clinician-fr"])
        #expect(model.signers(of: fr).map(\.id).sorted() == ["clara", "ed"])
        #expect(fr.findings.contains { $0.rule == .awaitingReview && $0.message.contains("awaiting clinician-fr") })
        // The English page needs no such role.
        #expect(try status(content, Self.en).state == .approved)
        try content.signOff(Self.fr.text, as: "clara", role: "clinician-fr", on: "2026-04-11")
        fr = try status(content)
        #expect(fr.state == .approved && fr.missingRoles.isEmpty)
        // The English dose changes and is approved: behind, and in this category it blocks.
        try reapprove(content, body: "Take 2 tablets a day.", category: "drugs", on: "2026-04-20")
        fr = try status(content)
        let finding = try #require(fr.findings.first { $0.rule == .translationOutdated })
        #expect(finding.severity == .error)
        #expect(try content.status(asOf: "2026-05-01").summary["blocking"] ?? 0 >= 1)
        // `review due` lists it for the roles the translation needs.
        let queue = try content.session().reading.due(asOf: Day("2026-05-01")!)
        let items = queue.items.filter { $0.path == Self.fr }
        #expect(Set(items.map(\.role)) == ["editorial", "clinician-fr"])
        #expect(items.allSatisfy { $0.reason.contains("translation behind Articles/en/dose.md") && $0.due == Day("2026-04-20") })
        withExtendedLifetime(content) {}
    }

    @Test func verifyHoldsAPublishedTranslationToItsLanguagesRole() throws {
        let content = try content(category: "drugs")
        try content.signOff(Self.fr.text, as: "ed", role: "editorial", on: "2026-04-10")
        // A published ref pushed by hand with the French page the clinician never approved.
        let repository = content.repository
        let tree = try repository.commit(try repository.headCommit()).tree
        let blobs = try repository.files(under: "", inTree: tree).map { (path: $0.path, blob: Optional($0.id)) }
        let me = Signature(name: "Mallory", email: "m@example.org", time: ContentRepository.time("2026-04-11"))
        let commit = try repository.createCommit(tree: try repository.buildTree(base: nil, blobs: blobs), parents: [],
                                                 author: me, committer: me, message: "Publish")
        try repository.updateReference(Publisher.reference, to: commit, expected: nil, message: "push")
        let report = try content.session().reading.verify(asOf: Day("2026-04-11")!)
        #expect(report.publicationFindings.contains { $0.rule == .unjustifiedPublication && $0.path == Self.fr && $0.message.contains("clinician-fr") },
                "\(report.publicationFindings)")
        #expect(!report.publicationFindings.contains { $0.path == Self.en })
        withExtendedLifetime(content) {}
    }

    @Test func theBasisOfATranslationLastChangedOnAMergedBranchIsTheSourceThatBranchSaw() throws {
        let content = try content()
        let v1 = try blob(Self.en, in: content)
        let fork = try content.repository.headCommit()
        // A translator's branch from before the English change, committed after its approval.
        let frText = Self.page("Dose", body: "Prenez 1 comprimé par jour, le matin.")
        try reapprove(content, body: "Take 2 tablets a day.", on: "2026-04-20")
        let side = try content.builder.commit("French", [.write(Self.fr, frText)], parents: [fork], time: ContentRepository.time("2026-04-25"),
                                              author: "Writer", moveBranch: false)
        try content.builder.merge(side, [.write(Self.fr, frText)], time: ContentRepository.time("2026-04-26"), author: "Writer")
        try content.builder.checkoutHead()
        // git names the branch commit as the translation's last change; the English there is v1.
        #expect(try Git.lastChange(of: Self.fr.text, in: content.path).trimmingCharacters(in: .whitespacesAndNewlines) == side.hex)
        #expect(try Git.run(["rev-parse", "\(side.hex):\(Self.en.text)"], in: content.path).trimmingCharacters(in: .whitespacesAndNewlines) == v1)
        let fr = try status(content)
        #expect(fr.translation?.basis == v1 && fr.translation?.outdated == true)
        withExtendedLifetime(content) {}
    }

    @Test func pagesSayWhichReviewedVersionTheyTranslate() throws {
        let content = try content()
        try content.signOff(Self.fr.text, as: "ed", role: "editorial", on: "2026-04-10")
        let author = Signature(name: "Publisher", email: "pub@example.org", time: 1_800_000_000)
        let outcome = try Publisher.publish(repository: content.repository, asOf: Day("2026-05-01")!, dryRun: false, author: author)
        let entry = try #require(outcome.plan.entries.first { $0.path == Self.fr })
        #expect(entry.translatedFrom == PublishedManifest.TranslatedFrom(source: Self.en, language: "English", reviewed: Day("2026-04-09")))
        #expect(outcome.plan.entries.first { $0.path == Self.en }?.translatedFrom == nil)
        let dir = TemporaryDirectory()
        #expect(try Publisher.renderSite(repository: content.repository, to: dir.file("site")) == 2)
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir.file("site")).filter { $0.hasSuffix(".html") && $0 != "index.html" }
            .map { try String(contentsOfFile: dir.file("site/" + $0), encoding: .utf8) }
        let line = "Translated from the English version reviewed on <time datetime=\"2026-04-09\">9 April 2026</time>"
        #expect(pages.filter { $0.contains(line) }.count == 1)
        #expect(pages.filter { $0.contains("Translated from") }.count == 1)
        withExtendedLifetime(content) {}
    }
}

/// The policy's `translations:` keys: read with file and line, unknown keys refused.
@Suite struct TranslationPolicyTests {
    private func parse(_ yaml: String) throws(ReviewError) -> Policy {
        try PolicyParser.parse(Array(yaml.utf8), disclaimerIDs: [])
    }

    static let base = """
        roles: [editorial, clinician-fr]
        categories:
          general:
            required-roles: [editorial]
            review-interval-days: 365
            due-soon-days: 30

        """

    @Test func foldersMapATranslationToItsSource() throws {
        let policy = try parse(Self.base + "translations:\n  folders:\n    \"apps/site/pages/{lang}/**\": \"apps/site/pages/en/**\"\n  source-language: English\n")
        let folder = try #require(policy.translations.folders.first)
        #expect(folder.locate("apps/site/pages/fr/learn/about.md")?.source == "apps/site/pages/en/learn/about.md")
        #expect(folder.locate("apps/site/pages/zh-cn/index.md")?.language == "zh-cn")
        #expect(folder.locate("apps/site/pages/en/learn/about.md") == nil)
        #expect(folder.locate("apps/site/other/fr/about.md") == nil)
        #expect(policy.translations.basisKey == "translated-from")
    }

    @Test func aFrontMatterKeyNamesTheSource() throws {
        let policy = try parse(Self.base + "translations:\n  source-key: translation-of\n")
        let article = Article(path: "Articles/dosis.md", slug: "dosis",
                              frontMatter: [("translation-of", .scalar("Articles/dose.md", line: 3)), ("lang", .scalar("es", line: 4))])
        let found = try #require(policy.translations.locate(article))
        #expect(found.source == "Articles/dose.md" && found.language == "es" && found.line == 3)
    }

    @Test func badTranslationKeysAreRefusedWithTheirLine() {
        let cases: [(String, Int, String)] = [
            ("translations:\n  folder:\n    a: b\n", 9, "unknown key 'folder' in translations"),
            ("translations:\n  folders:\n    \"pages/**\": \"pages/en/**\"\n", 9, "must map a pattern with one {lang} folder"),
            ("translations: yes\n", 7, "'translations' must be a mapping"),
            ("translations:\n  source-language: English\n", 8, "names no translation"),
        ]
        for (yaml, line, problem) in cases {
            #expect {
                try parse(Self.base + yaml)
            } throws: { error in
                guard let error = error as? ReviewError else { return false }
                return error.line == line && error.problem.contains(problem) && error.file == "Reviews/policy.yml"
            }
        }
    }

    @Test func categoryKeysAreChecked() throws {
        let category = { (keys: String) in Self.base.replacingOccurrences(of: "    due-soon-days: 30\n", with: "    due-soon-days: 30\n" + keys) }
        let policy = try parse(category("    translation-outdated: error\n    translation-roles: [\"clinician-{lang}\"]\n"))
        #expect(policy.categories["general"]?.translationOutdated == .error)
        #expect(policy.categories["general"]?.translationRoles(language: "fr") == ["clinician-fr"])
        #expect(throws: ReviewError.self) { try parse(category("    translation-outdated: blocking\n")) }
        #expect(throws: ReviewError.self) { try parse(category("    translation-roles: [translator]\n")) }
    }
}
