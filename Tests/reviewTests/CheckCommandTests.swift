import Paths
import Foundation
import GitKit
import ReviewCore
import ReviewKit
import Testing
import TestSupport

@Suite struct CheckCommandTests {
    /// One approved article, one missing its disclaimer (blocking), one due soon (a warning).
    private func content() throws -> ContentRepository {
        let content = try ContentRepository(articles: ["ok": .neurology, "soon": .neurology], reviewers: [.medical("ann"), .editorial("ed")],
                                            on: "2026-01-01")
        try content.signOff("ok", as: "ann", role: "medical", on: "2026-01-02")
        try content.signOff("ok", as: "ed", role: "editorial", on: "2026-01-02")
        return content
    }

    @Test func exitZeroWithWarningsOnly() throws {
        let content = try content()
        let run = try ReviewRun(["check", "--repo", content.path, "--as-of", "2026-12-10"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("[due-soon]"))
        #expect(run.stderr == "")
    }

    /// A cache key others can read is not used, and the run says so (every run would be cold,
    /// with nothing else saying why); the answer is the same.
    @Test func aCacheKeyOthersCanReadIsSaidAndNotUsed() throws {
        let content = try content()
        let keys = TemporaryDirectory()
        let key = keys.path + "/cache-key"
        let good = try ReviewRun(["check", "--repo", content.path, "--as-of", "2026-12-10"], environment: ["REVIEW_CACHE_KEY_FILE": key])
        #expect(good.stderr == "")
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: key)
        let run = try ReviewRun(["check", "--repo", content.path, "--as-of", "2026-12-10"], environment: ["REVIEW_CACHE_KEY_FILE": key])
        #expect(run.status == good.status)
        #expect(run.stdout == good.stdout)
        #expect(run.stderr == "review: warning: caches are off: the cache key \(key) can be read or changed by other users (mode 640); remove it and the next run makes a new private one\n")
        // A command that fails says its one line only.
        let failed = try ReviewRun(["check", "--repo", content.path, "--changed-since", "no-such-base"], environment: ["REVIEW_CACHE_KEY_FILE": key])
        #expect(failed.status == 2)
        #expect(failed.stderr.split(separator: "\n").count == 1 && !failed.stderr.contains("caches are off"), "\(failed.stderr)")
        // No key file and no place for one (a read-only home): uncached, and nothing said.
        let nowhere = try ReviewRun(["check", "--repo", content.path, "--as-of", "2026-12-10"],
                                    environment: ["REVIEW_CACHE_KEY_FILE": key + "/inside-a-file"])
        #expect(nowhere.stdout == good.stdout && nowhere.stderr == "")
    }

    /// `last-changes --under` takes a folder as people write one; each spelling lists the same
    /// paths (before, `Articles/` listed `Articles//ok.md`), and `..` is a usage error.
    @Test func lastChangesTakesAFolderHoweverItIsWritten() throws {
        let content = try content()
        let plain = try ReviewRun(["last-changes", "--repo", content.path, "--under", "Articles"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.hasPrefix("Articles/") && !plain.stdout.contains("//"))
        for spelling in ["Articles/", "./Articles", "/Articles", "Articles//"] {
            let run = try ReviewRun(["last-changes", "--repo", content.path, "--under", spelling])
            #expect(run.status == 0 && run.stdout == plain.stdout, "\(spelling): \(run.stdout)\(run.stderr)")
        }
        let outside = try ReviewRun(["last-changes", "--repo", content.path, "--under", "Articles/../../x"])
        #expect(outside.status == 2)
        #expect(outside.stderr == "error: '--under Articles/../../x' leaves the repository's tree; name a folder from the repository's root, such as Articles\n")
    }

    @Test func exitOneWithABlockingFinding() throws {
        let content = try content()
        try content.commit("no disclaimer", [.write("Articles/bare.md", "---\ntitle: Bare\nlast-updated: 2026-02-01\ncategory: neurology\n---\nText.\n")], on: "2026-02-01")
        let run = try ReviewRun(["check", "--repo", content.path, "--as-of", "2026-03-01"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("Articles/bare.md: error: the 'medical' disclaimer required for neurology is missing"))
    }

    @Test func overdueBlocks() throws {
        let content = try content()  // kept alive: its directory goes away with it
        let run = try ReviewRun(["check", "--repo", content.path, "--as-of", "2027-06-01"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("[overdue]"))
    }

    @Test func severalOutputsInOneRun() throws {
        let content = try content()
        let out = TemporaryDirectory()
        let run = try ReviewRun(["check", "--repo", content.path, "--as-of", "2026-12-10", "--format", "github",
                                 "--output", "junit:\(out.file("report.xml"))", "--output", "sarif:\(out.file("review.sarif"))",
                                 "--output", "github:" + out.file("plain.txt")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("::warning "))
        #expect(try String(contentsOfFile: out.file("report.xml"), encoding: .utf8).hasPrefix("<?xml"))
        #expect(try String(contentsOfFile: out.file("review.sarif"), encoding: .utf8).contains("\"version\" : \"2.1.0\""))
        #expect(try String(contentsOfFile: out.file("plain.txt"), encoding: .utf8).hasPrefix("::warning "))
    }

    /// Usage errors: exit 2, one line, no report file written.
    @Test(arguments: [
        (["--format", "yaml"], "yaml"),
        (["--as-of", "2026-13-01"], "2026-13-01"),
        (["--changed-since", "no-such-rev"], "'no-such-rev' names no commit"),
        (["--output", "yaml:x.out"], "unknown format 'yaml'"),
        // FORMAT:FILE only: a bare format would have become a file named sarif.
        (["--output", "sarif"], "--output sarif names no format"),
        // Every destination writable before anything is printed.
        (["--output", "sarif:/nonexistent-dir/x.sarif"], "does not exist"),
    ])
    func usageErrorsExitTwoAndWriteNothing(_ arguments: [String], _ mention: String) throws {
        let content = try content()
        let out = TemporaryDirectory()
        let before = try DirectoryContents(content.path)
        let run = try ReviewRun(["check", "--repo", content.path, "--output", "junit:\(out.file("report.xml"))"] + arguments)
        #expect(try DirectoryContents(content.path).differences(from: before) == [])
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stderr.contains(mention), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.file("report.xml")))
    }

    @Test func changedSinceLimitsTheCheckToWhatChanged() throws {
        let content = try content()
        let base = try content.repository.headCommit()
        try content.edit("soon", lastUpdated: "2026-03-01", body: "New text.")
        let run = try ReviewRun(["check", "--repo", content.path, "--as-of", "2026-03-02", "--format", "json", "--changed-since", base.hex])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        #expect(json["articles"] as? Int == 1)
        let paths = Set((json["findings"] as! [[String: Any]]).map { $0["path"] as! String })
        // Governance findings (here: no root) concern every change.
        #expect(paths == ["Articles/soon.md", TrustRoot.path.text])
        // Sign-offs after the base bring their article into scope, and the limited walk gives the
        // same verdict as a full check.
        try content.signOff("soon", as: "ann", role: "medical", on: "2026-03-02")
        let limited = try ReviewRun(["check", "--repo", content.path, "--as-of", "2026-03-02", "--format", "json", "--changed-since", base.hex])
        let full = try ReviewRun(["check", "--repo", content.path, "--as-of", "2026-03-02", "--format", "json"])
        let limitedFindings = (try JSONSerialization.jsonObject(with: Data(limited.stdout.utf8)) as! [String: Any])["findings"] as! [[String: Any]]
        let fullFindings = (try JSONSerialization.jsonObject(with: Data(full.stdout.utf8)) as! [String: Any])["findings"] as! [[String: Any]]
        #expect(limitedFindings.filter { ($0["path"] as! String) == "Articles/soon.md" }.map { $0["message"] as! String } == fullFindings.filter { ($0["path"] as! String) == "Articles/soon.md" }.map { $0["message"] as! String })
        #expect(limitedFindings.contains { ($0["message"] as! String).contains("awaiting editorial review") })
        // A policy change puts every article back in scope.
        try content.commit("policy", [.write(Policy.path, ContentRepository.policy + "# reviewed\n")], on: "2026-03-02")
        let all = try ReviewRun(["check", "--repo", content.path, "--as-of", "2026-03-02", "--format", "json", "--changed-since", base.hex])
        #expect((try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as! [String: Any])["articles"] as? Int == 2)
    }

    @Test func statusJSONHasExactlyTheContractFields() throws {
        let content = try content()
        let run = try ReviewRun(["status", "--repo", content.path, "--as-of", "2026-12-10", "--format", "json"])
        #expect(run.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as! [String: Any]
        // The contract's fields, and those the project added (README, docs/state.md): findings
        // about no one article, and what the team's switches silenced (issue 32), in all and per article.
        #expect(Set(json.keys) == ["asOf", "head", "articles", "summary", "repositoryFindings", "suppressed"])
        #expect(json["suppressed"] as? [String: Int] == ["policy": 0, "comments": 0, "baseline": 0])
        let article = (json["articles"] as! [[String: Any]])[0]
        #expect(Set(article.keys) == ["slug", "path", "title", "category", "state", "freshness", "lastUpdated", "lastChanged",
                                      "lastChangedCommit", "lastChangedBy", "lastReviewed", "nextReviewDue", "revision",
                                      "approvals", "missingRoles", "findings", "suppressed", "retraction"])
        let approval = (article["approvals"] as! [[String: Any]])[0]
        #expect(Set(approval.keys) == ["reviewer", "role", "date", "revision", "current"])
        let summary = json["summary"] as! [String: Int]
        #expect(summary["approved"] == 1 && summary["draft"] == 1 && summary["dueSoon"] == 2 && summary["blocking"] == 0)
    }

    @Test func initThenNewMakeACheckableRepository() throws {
        let dir = TemporaryDirectory()
        let site = dir.file("site")
        let first = try ReviewRun(["init", site])
        #expect(first.status == 0, "\(first.stderr)")
        let again = try ReviewRun(["init", site])
        #expect(again.status == 2)
        let new = try ReviewRun(["new", "migraine", "--title", "Migraine: a guide", "--category", "general", "--as-of", "2026-11-25"], in: site)
        #expect(new.status == 0, "\(new.stderr)")
        let text = try String(contentsOfFile: site + "/Articles/migraine.md", encoding: .utf8)
        #expect(text.contains("title: \"Migraine: a guide\"\nlast-updated: 2026-11-25\ncategory: general\n"))
        #expect(text.hasSuffix(ContentTemplates.medicalDisclaimer.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"))
        let duplicate = try ReviewRun(["new", "migraine", "--title", "x", "--category", "general"], in: site)
        #expect(duplicate.status == 2)
        let unknown = try ReviewRun(["new", "other", "--title", "x", "--category", "astrology"], in: site)
        #expect(unknown.status == 2 && unknown.stderr.contains("no category 'astrology'"))
        // Parsed by the same parser that checks it: its one finding is the placeholder it leaves
        // to be written (issue 32, item 6), which blocks until the text is there.
        let (_, findings) = ArticleParser.parse(path: "Articles/migraine.md", bytes: Array(text.utf8))
        #expect(findings.map(\.rule) == [.unfilledPlaceholder], "\(findings)")
        let written = text.replacingOccurrences(of: "**Short answer:** …", with: "**Short answer:** most migraines settle with rest and simple painkillers.")
        #expect(ArticleParser.parse(path: "Articles/migraine.md", bytes: Array(written.utf8)).1.isEmpty)
        try Git.run(["add", "-A"], in: site)
        try Git.run(["commit", "-qm", "A new article, not yet written"], in: site)
        let check = try ReviewRun(["check", "--as-of", "2026-11-25"], in: site)
        #expect(check.status == 1 && check.stdout.contains("[unfilled-placeholder]"), "\(check.stdout)")
    }
}
