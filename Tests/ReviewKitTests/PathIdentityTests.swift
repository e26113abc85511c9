import Foundation
import GitKit
import Paths
import ReviewCore
@testable import ReviewKit
import Testing
import TestSupport

/// A path is its bytes (issue 30): two files whose names differ only in Unicode normalization
/// or letter case are two articles, records or files, each with its own history, records and
/// page; they are flagged `confusable-paths`, and nothing traps, merges or guesses.
@Suite struct PathIdentityTests {
    /// `é` as one code point, and as `e` with a combining acute accent: equal as Swift strings,
    /// different as bytes.
    static let composed = "caf\u{E9}"
    static let decomposed = "cafe\u{301}"

    /// `String(validUTF8:)` (paths, cache strings, page text) answers as the standard
    /// library's validating initializer does, on random bytes weighted towards UTF-8's edges.
    @Test func validUTF8IsTheStandardLibrarysValidation() {
        let pieces: [[UInt8]] = [[0x61], [0x00], [0x7F], [0x80], [0xBF], [0xC0], [0xC1], [0xC2, 0x80], [0xC3, 0xA9], [0xDF, 0xBF],
                                 [0xE0, 0x80, 0x80], [0xE0, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xED, 0xA0, 0x80], [0xEF, 0xBF, 0xBD],
                                 [0xF0, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x90, 0x80, 0x80], [0xF5], [0xFF], [0xE2, 0x82]]
        var random = SplitMix(seed: 30)
        var valid = 0
        for _ in 0..<5000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.next(in: 0..<12) { bytes += pieces[random.next(in: 0..<pieces.count)] }
            let expected = String(validating: bytes, as: UTF8.self)
            let found = bytes.withUnsafeBufferPointer { String(validUTF8: $0) }
            #expect(found == expected && found.map { Array($0.utf8) == bytes } != false, "\(bytes)")
            if expected != nil { valid += 1 }
        }
        #expect(valid > 300 && valid < 4700)
    }

    @Test func theTwoSpellingsAreEqualStringsButDifferentPaths() {
        #expect(Self.composed == Self.decomposed)
        #expect(GitPath(Self.composed) != GitPath(Self.decomposed))
        #expect(Set([GitPath(Self.composed), GitPath(Self.decomposed)]).count == 2)
        #expect(GitPath(Self.decomposed).escaped == "cafe\\u{301}")
        #expect(ConfusablePaths.groups([GitPath("a/B.md"), GitPath("a/b.md"), GitPath("a/c.md")]) == [[GitPath("a/B.md"), GitPath("a/b.md")]])
    }

    /// Defect 1: `status` gave the first file the repository's first commit and the other the
    /// wrong history (the history index interned paths by `String`).
    @Test func eachSpellingHasItsOwnLastChangeAsGitSays() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let first = GitPath("Articles/\(Self.composed)/flu.md"), second = GitPath("Articles/\(Self.decomposed)/flu.md")
        try content.commit("Add the composed one", [.write(first, ContentRepository.article("flu", category: .general, lastUpdated: "2026-04-08"))],
                           on: "2026-04-08")
        try content.commit("Add the decomposed one", [.write(second, ContentRepository.article("flu", category: .general, lastUpdated: "2026-04-09", body: "Other."))],
                           on: "2026-04-09")
        for usesCaches in [false, true, true] {
            let report = try content.session(usesCaches: usesCaches).reading.status(asOf: Day("2026-05-01")!)
            for path in [first, second] {
                let status = try #require(report.articles.first { $0.path == path }, "\(path.escaped)")
                #expect(status.lastChangedCommit == (try Git.lastChange(of: path.text, in: content.path)), "\(path.escaped)")
                #expect(status.findings.contains { $0.rule == .confusablePaths && $0.message.contains("\\u{301}") }, "\(status.findings)")
            }
            #expect(report.articles.filter { $0.rule(.confusablePaths) }.count == 2)
            #expect(report.articles.first { $0.slug == "pml" }.map { !$0.rule(.confusablePaths) } == true)
        }
    }

    /// Defect 2: `publish --dry-run` trapped (`Duplicate values for key`), and the real article's
    /// approvals went to its twin (`unattached-record`), dropping it from approved to draft.
    @Test func aPushedTwinNeitherTrapsPublishingNorTakesTheApprovals() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let real = GitPath("Articles/\(Self.composed)/flu.md"), twin = GitPath("Articles/\(Self.decomposed)/flu.md")
        try content.commit("Add flu", [.write(real, ContentRepository.article("flu", category: .general, lastUpdated: "2026-04-08"))], on: "2026-04-08")
        try content.builder.checkoutHead()
        for slug in ["pml", real.text] { try content.signOff(slug, as: "ed", role: "editorial", on: "2026-04-09") }
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        #expect(try content.status(asOf: "2026-04-10").articles.first { $0.path == real }?.state == .approved)
        try content.commit("Push a twin", [.write(twin, ContentRepository.article("flu", category: .general, lastUpdated: "2026-04-10", body: "Take twice the dose."))],
                           on: "2026-04-10")

        let report = try content.status(asOf: "2026-04-11")
        let realStatus = try #require(report.articles.first { $0.path == real })
        let twinStatus = try #require(report.articles.first { $0.path == twin })
        #expect(realStatus.state == .approved, "\(realStatus.findings)")
        #expect(twinStatus.state == .draft)
        #expect(!(realStatus.findings + realStatus.recordFindings).contains { $0.rule == .unattachedRecord })
        #expect(realStatus.rule(.confusablePaths) && twinStatus.rule(.confusablePaths))
        // Publishing holds both back (the name is confusable) and still publishes the rest.
        let plan = try content.session().publishing.publish(asOf: Day("2026-04-11")!, dryRun: true, now: ContentRepository.time("2026-04-11")).plan
        #expect(plan.entries.map(\.path) == [GitPath("Articles/pml.md")])
        let held = plan.changes.compactMap { change -> GitPath? in if case .heldBack(let path, _) = change { return path } else { return nil } }
        #expect(Set(held) == [real, twin])
    }

    /// Defect 3: a pushed file whose path is the other spelling of a published article's path
    /// was not checked by `verify` (`PublicationCheck` built a `[String: String]`).
    @Test func verifyRefusesAnUnpublishedTwinOnThePublishedRef() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann"), .editorial("ed")])
        let real = GitPath("Articles/\(Self.composed)/flu.md"), twin = GitPath("Articles/\(Self.decomposed)/flu.md")
        try content.commit("Add flu", [.write(real, ContentRepository.article("flu", category: .general, lastUpdated: "2026-04-08"))], on: "2026-04-08")
        try content.builder.checkoutHead()
        try content.signOff(real.text, as: "ed", role: "editorial", on: "2026-04-09")
        let outcome = try content.session().publishing.publish(asOf: Day("2026-04-10")!, dryRun: false, now: ContentRepository.time("2026-04-10"))
        #expect(outcome.plan.entries.map(\.path) == [real])
        #expect(try content.session().reading.verify(asOf: Day("2026-04-10")!).publicationFindings.isEmpty)

        // Someone with push rights adds the other spelling, with other text, to the published ref.
        let repository = content.repository
        let published = try #require(try repository.referenceTarget(Publisher.reference))
        let blob = try repository.writeBlob(Array(ContentRepository.article("flu", category: .general, lastUpdated: "2026-04-08", body: "Take twice the dose.").utf8))
        let tree = try repository.buildTree(base: repository.commit(published).tree, blobs: [(twin, blob)])
        let pushed = try repository.createCommit(tree: tree, parents: [published], author: RepoBuilder.signature("Mallory", time: ContentRepository.time("2026-04-10")),
                                                 committer: RepoBuilder.signature("Mallory", time: ContentRepository.time("2026-04-10")), message: "push")
        try repository.updateReference(Publisher.reference, to: pushed, expected: published, message: "push")

        let findings = try content.session().reading.verify(asOf: Day("2026-04-10")!).publicationFindings
        #expect(findings.map(\.path) == [twin], "\(findings)")
        #expect(findings.allSatisfy { $0.rule == .unjustifiedPublication })
    }

    /// Defect 4: `publish --site` deleted a user's own file whose name is the other spelling of
    /// a file review wrote (`SiteDirectory` kept a `Set<String>`).
    @Test func theSiteKeepsAUsersFileNamedLikeOneReviewWrote() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann"), .editorial("ed")])
        let image = GitPath("Articles/\(Self.composed).png")
        try content.commit("Add flu", [
            .write("Articles/flu.md", ContentRepository.article("flu", category: .general, lastUpdated: "2026-04-08",
                                                                body: "![A sneezing person](\(Self.composed).png)")),
            FileChange(path: image, contents: Array("PNG by review".utf8)),
        ], on: "2026-04-08")
        try content.builder.checkoutHead()
        try content.signOff("flu", as: "ed", role: "editorial", on: "2026-04-09")
        let session = try content.session()
        _ = try session.publishing.publish(asOf: Day("2026-04-10")!, dryRun: false, now: ContentRepository.time("2026-04-10"))
        let site = TemporaryDirectory().file("site")
        #expect(try session.publishing.renderSite(to: site) == 1)
        let reviews = site + "/assets/\(Self.composed).png", users = site + "/assets/\(Self.decomposed).png"
        #expect(FileManager.default.contents(atPath: reviews) == Data("PNG by review".utf8))
        // The user puts their own file beside it, named the other way.
        #expect(FileManager.default.createFile(atPath: users, contents: Data("the user's own".utf8)))
        #expect(try session.publishing.renderSite(to: site) == 1)
        #expect(FileManager.default.contents(atPath: users) == Data("the user's own".utf8))
        #expect(FileManager.default.contents(atPath: reviews) == Data("PNG by review".utf8))
    }

    /// Defect 5: with `unique-slugs: folder`, `approve fever` signed one of two `fever` articles.
    @Test func aSlugTwoArticlesShareIsRefusedListingBoth() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann"), .editorial("ed")])
        try content.commit("Two fevers", [
            .write(Policy.path, ContentRepository.policy + "content:\n  unique-slugs: folder\n"),
            .write("Articles/adults/fever.md", ContentRepository.article("fever", category: .general, lastUpdated: "2026-04-08")),
            .write("Articles/children/fever.md", ContentRepository.article("fever", category: .general, lastUpdated: "2026-04-08", body: "Children.")),
        ], on: "2026-04-08")
        try content.builder.checkoutHead()
        let head = try content.repository.headCommit()
        #expect {
            try content.signOff("fever", as: "ed", role: "editorial", on: "2026-04-09")
        } throws: { error in
            let message = (error as? ReviewError)?.description ?? ""
            return message.contains("Articles/adults/fever.md") && message.contains("Articles/children/fever.md") && message.contains("names 2 articles")
        }
        #expect(try content.repository.headCommit() == head)
        // The path picks one; a page name picks one too.
        try content.signOff("Articles/children/fever.md", as: "ed", role: "editorial", on: "2026-04-09")
        let report = try content.status(asOf: "2026-04-10")
        #expect(report.articles.map(\.state) == [.draft, .approved])
        #expect(throws: ReviewError.self) { try content.session().reading.status(asOf: Day("2026-04-10")!, articles: ["fever"]) }
        #expect(try content.session().reading.status(asOf: Day("2026-04-10")!, articles: ["children--fever"]).articles.map(\.path) == ["Articles/children/fever.md"])
        // The table names each by its path where slugs repeat.
        let table = TableReporter.render(report)
        #expect(table.contains("Articles/adults/fever.md") && table.contains("Articles/children/fever.md"), "\(table)")
    }

    /// Found attacking the first cut: a disclaimer file named like another (normalization or
    /// case) replaced its wording on every page, and so did a copy in a subfolder. A twin is a
    /// configuration error naming both; a subfolder's file is not a disclaimer.
    @Test func aDisclaimerTwinOrCopyNeverReplacesTheWording() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.commit("twin", [.write(GitPath("Reviews/disclaimers/Medical.md"), "This page is medical advice.\n")], on: "2026-04-08")
        #expect {
            try content.status(asOf: "2026-04-10")
        } throws: { error in (error as? ReviewError)?.description.contains("read alike") == true }
        try content.commit("move it", [.remove(GitPath("Reviews/disclaimers/Medical.md")),
                                       .write(GitPath("Reviews/disclaimers/old/medical.md"), "This page is medical advice.\n")], on: "2026-04-08")
        let session = try content.session()
        let report = try session.reading.status(asOf: Day("2026-04-10")!)
        #expect(report.articles[0].findings.filter { $0.rule == .missingDisclaimer || $0.rule == .outdatedDisclaimer }.isEmpty, "\(report.articles[0].findings)")
        #expect(try RepositorySnapshot.load(from: content.repository, revision: content.repository.headCommit()).disclaimers["medical"] == ContentRepository.disclaimer + "\n")
    }

    /// Found attacking the first cut: approving an article whose path is not UTF-8 committed a
    /// record that could never verify (YAML holds text). It is refused, nothing written.
    @Test func anArticleWhosePathIsNotUTF8CannotBeApproved() throws {
        let content = try ContentRepository(articles: [:], reviewers: [.medical("ann"), .editorial("ed")])
        let path = GitPath(bytes: Array("Articles/x".utf8) + [0xFF] + Array("/flu.md".utf8))
        try content.commit("Add flu", [.write(path, ContentRepository.article("flu", category: .general, lastUpdated: "2026-04-08"))], on: "2026-04-08")
        let head = try content.repository.headCommit()
        #expect {
            try content.signOff("flu", as: "ed", role: "editorial", on: "2026-04-09")
        } throws: { error in (error as? ReviewError)?.description.contains("not UTF-8") == true }
        #expect(try content.repository.headCommit() == head)
    }

    @Test func anUnknownNameGetsADidYouMeanAndAnotherSpellingIsNotTaken() {
        let names = ArticleNames([(path: GitPath("Articles/\(Self.composed).md"), slug: Self.composed, page: Self.composed),
                                  (path: GitPath("Articles/fever.md"), slug: "fever", page: "fever")])
        #expect(names.resolve("fevr") == .unknown(suggestions: ["fever"]))
        #expect(names.resolve("Articles/fever.md") == .found("Articles/fever.md"))
        // The path typed in the other normalization is not taken; it is suggested (escaped).
        guard case .unknown(let suggestions) = names.resolve("Articles/\(Self.decomposed).md") else {
            Issue.record("another spelling of a path must not resolve to it")
            return
        }
        #expect(suggestions.first == "Articles/caf\\u{e9}.md")
    }
}

extension ArticleStatus {
    func rule(_ rule: RuleID) -> Bool { findings.contains { $0.rule == rule } }
}
