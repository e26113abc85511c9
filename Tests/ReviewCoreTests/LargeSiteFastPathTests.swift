import Paths
import Foundation
import PropertyBased
@testable import ReviewCore
import Testing
import TestSupport

/// Issue 21, item 5: the shortcuts a large site's warm `status` takes give what the plain
/// definitions give.
@Suite struct LargeSiteFastPathTests {
    /// Paths that stress the byte-level layout functions: nested folders, bundles, hidden
    /// files, other extensions, non-ASCII names, roots that are prefixes of other folders.
    static func path(_ random: inout SplitMix) -> String {
        let folders = ["Articles", "Articles-old", "docs", "docs/en", "Artículos", "a", "", "x y", ".hidden", "café"]
        let names = ["index.md", "_index.md", "page.md", "page.mdx", ".gitkeep", "Été.md", "README", "a.b.md", "x.md\u{301}", "md", ".md"]
        var parts: [String] = []
        for _ in 0..<random.next(in: 0..<4) { parts.append(folders[random.next(in: 0..<folders.count)]) }
        parts.append(names[random.next(in: 0..<names.count)])
        return parts.filter { !$0.isEmpty }.joined(separator: "/")
    }

    static func layout(_ random: inout SplitMix) -> ContentRoots {
        var layout = ContentRoots()
        let roots = [["Articles"], ["docs"], ["docs/en", "Articles"], ["Artículos"], ["a", "Articles"]]
        layout.roots = roots[random.next(in: 0..<roots.count)]
        let includes = [["**/*.md"], ["**/*.md", "**/*.mdx"], ["docs/**"], ["**/index.md"]]
        layout.include = includes[random.next(in: 0..<includes.count)].map(Glob.init)
        layout.exclude = random.next(in: 0..<2) == 0 ? [] : [Glob("**/_index.md")]
        layout.uniqueSlugs = ContentRoots.SlugScope.allCases[random.next(in: 0..<3)]
        return layout
    }

    @Test func layoutAnswersEqualTheirDefinitions() async {
        await propertyCheck(count: 3000, input: Gen.uint64()) { seed in
            var random = SplitMix(seed: seed)
            let layout = Self.layout(&random)
            let path = Self.path(&random)
            let root = layout.roots.first { path.hasPrefix($0 + "/") }
            // The definitions, written plainly (as before the byte-level versions).
            #expect(layout.isBelowRoot(GitPath(path)) == (root != nil), "\(path)")
            let hidden = (path.split(separator: "/").last ?? "").hasPrefix(".")
            let included = layout.include.contains { $0.matches(GitPath(path)) } && !layout.exclude.contains { $0.matches(GitPath(path)) }
            #expect(layout.isArticle(GitPath(path)) == (root != nil && !hidden && included), "\(path)")
            var parts = path.split(separator: "/").map(String.init)
            var name = parts.popLast() ?? path
            let isDefault = layout == ContentRoots()
            if name.hasSuffix(".md") { name.removeLast(3) } else if !isDefault, let dot = name.lastIndex(of: "."), dot != name.startIndex {
                name = String(name[..<dot])
            }
            if !isDefault, name == "index" || name == "_index", let folder = parts.last { name = folder }
            #expect(layout.slug(of: GitPath(path)) == (isDefault ? name : ContentRoots.slugified(name)), "\(path)")
            if layout.uniqueSlugs == .root { #expect(layout.slugScope(of: GitPath(path)) == GitPath(root ?? ""), "\(path)") }
        }
    }

    @Test func globsMatchAsTheirPatternsSay() {
        let cases: [(String, String, Bool)] = [
            ("**/*.md", "a.md", true), ("**/*.md", "a/b/c.md", true), ("**/*.md", "a/b/c.mdx", false), ("**/*.md", ".md", true),
            ("docs/*.md", "docs/a.md", true), ("docs/*.md", "docs/a/b.md", false), ("docs/**", "docs/a/b", true),
            ("a?c", "abc", true), ("a?c", "a/c", false), ("**/index.md", "index.md", true), ("**/index.md", "x/yindex.md", false),
            ("Artículos/*.md", "Artículos/été.md", true), ("*", "", true), ("", "", true), ("", "a", false),
        ]
        for (pattern, path, expected) in cases { #expect(Glob(pattern).matches(GitPath(path)) == expected, "\(pattern) \(path)") }
    }

    @Test func summaryCountsEqualTheirDefinition() async {
        let rules: [RuleID] = [.awaitingReview, .overdue, .repeatedText, .brokenLink, .invalidFrontMatter]
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var random = SplitMix(seed: seed)
            func finding() -> Finding {
                var finding = Finding(rules[random.next(in: 0..<rules.count)], path: "Articles/x.md", "m")
                if random.next(in: 0..<4) == 0 { finding.severityOverride = random.next(in: 0..<2) == 0 ? .error : .warning }
                return finding
            }
            let articles = (0..<random.next(in: 0..<40)).map { i in
                ArticleStatus(slug: "a\(i)", path: GitPath("Articles/a\(i).md"), state: ReviewState.allCases[random.next(in: 0..<5)],
                              freshness: Freshness.allCases[random.next(in: 0..<3)], revision: "r", approvals: [], missingRoles: [],
                              findings: (0..<random.next(in: 0..<6)).map { _ in finding() }, isRetired: random.next(in: 0..<5) == 0)
            }
            let report = StatusReport(asOf: Day("2026-11-30")!, head: "h", articles: articles,
                                      otherFindings: (0..<random.next(in: 0..<4)).map { _ in finding() })
            var expected = Dictionary(uniqueKeysWithValues: ReviewState.allCases.map { ($0.rawValue, 0) })
            for article in articles { expected[article.state.rawValue, default: 0] += 1 }
            expected["overdue"] = articles.filter { $0.freshness == .overdue && !$0.isRetired }.count
            expected["dueSoon"] = articles.filter { $0.freshness == .dueSoon && !$0.isRetired }.count
            expected["blocking"] = report.allFindings.filter { $0.severity == .error }.count
            #expect(report.summary == expected, "seed \(seed)")
        }
    }

    @Test func workflowCommandLinesAreFoundWhereverTheyAre() async {
        let pieces = ["::error::x", "  ::warning", "\t::", "a::b", ":", "::", "\r::set-output", "", "text", " :: "]
        await propertyCheck(count: 500, input: Gen.uint64()) { seed in
            var random = SplitMix(seed: seed)
            let lines = (0..<random.next(in: 0..<8)).map { _ in pieces[random.next(in: 0..<pieces.count)] }
            let text = lines.joined(separator: "\n") + (random.next(in: 0..<2) == 0 ? "\n" : "")
            // The definition: a line whose first non-blank characters are `::` gets a backslash.
            let expected = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                line.drop { $0 == " " || $0 == "\t" || $0 == "\r" }.hasPrefix("::") ? "\\" + line : String(line)
            }.joined(separator: "\n")
            #expect(TerminalSafe.withoutWorkflowCommands(text) == expected, "\(text.debugDescription)")
            // Read in parts cut anywhere, the text is found to hold such a line exactly when it does.
            var parts: [[UInt8]] = []
            var rest = Array(text.utf8)[...]
            while !rest.isEmpty {
                let n = random.next(in: 0..<(rest.count + 1))
                parts.append(Array(rest.prefix(n)))
                rest = rest.dropFirst(n)
            }
            #expect(TerminalSafe.containsWorkflowCommands(parts) == (expected != text), "\(text.debugDescription)")
        }
    }

    /// Whether an address is relative, told from its bytes where it is ASCII, is what its
    /// characters say: no scheme (a `:` before the first `/`, `?` or `#`), not from the root,
    /// not only a fragment.
    @Test func relativeAddressesAreToldAsTheirDefinitionSays() async {
        let parts = ["a", "b.md", "/", "?", "#", ":", "http:", "https://x.example/", "mailto:a@b", "é", "x/y:z", "?q=a:b", "#f:g", "../", ""]
        await propertyCheck(count: 3000, input: Gen.uint64()) { seed in
            var random = SplitMix(seed: seed)
            let url = (0..<random.next(in: 0..<5)).map { _ in parts[random.next(in: 0..<parts.count)] }.joined()
            let head = url.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            let expected = !head.contains(":") && !url.hasPrefix("/") && !url.hasPrefix("#")
            #expect(SiteLinks.isRelative(url) == expected, "\(url)")
            var bytes = url
            let told = bytes.withUTF8 { SiteLinks.isRelative(asciiBytes: $0) }
            #expect(told == (url.utf8.allSatisfy { $0 < 0x80 } ? expected : nil), "\(url)")
        }
    }

    /// A body's relative links (told from their bytes where ASCII, from their characters
    /// otherwise): each link and image whose address is relative and not only a fragment, with
    /// its file line.
    @Test func aBodysRelativeLinksAreTheRelativeAddresses() {
        let body = "[a](a.md) [abs](https://x.example/b.md) [f](#top)\n\n![i](img/p.png) [ü](Über/c.md) [é](https://é.example/d)\n\n[m](mailto:x@y.org) [q](e.md?x=1)\n"
        let found = StructureRules.relativeLinks(MarkdownParser.parseTree(body), firstLine: 5).map { "\($0.line) \($0.url)" }
        #expect(found == ["5 a.md", "7 img/p.png", "7 Über/c.md", "9 e.md?x=1"])
    }

    @Test func relativeLinksResolveAsTheirDefinitionSays() async {
        let parts = ["a", "b.md", ".", "..", "", "%20x", "é", "c:d", "x#frag", "y?q=1", "Über", "%2F"]
        await propertyCheck(count: 3000, input: Gen.uint64()) { seed in
            var random = SplitMix(seed: seed)
            func joined(_ count: Int) -> String { (0..<count).map { _ in parts[random.next(in: 0..<parts.count)] }.joined(separator: "/") }
            let url = (random.next(in: 0..<4) == 0 ? "/" : "") + joined(random.next(in: 1..<5))
            let articlePath = (random.next(in: 0..<5) == 0 ? "/" : "") + joined(random.next(in: 0..<4)) + "/page.md"
            // The definitions: the folder is every non-empty part but the last; the address's
            // parts are steps from it (`.` none, `..` up, anything else down, percent-decoded).
            let folder = articlePath.split(separator: "/").dropLast().joined(separator: "/")
            #expect(SiteLinks(articlePath: GitPath(articlePath)).directory == folder, "\(articlePath)")
            var expected: String?
            if SiteLinks.isRelative(url), !url.hasPrefix("#") {
                var stack = folder.split(separator: "/").map(String.init)
                var inside = true
                for part in url.split(separator: "/") {
                    if part == "." { continue }
                    if part == ".." { if stack.isEmpty { inside = false; break }; stack.removeLast(); continue }
                    stack.append(part.contains("%") ? part.removingPercentEncoding ?? String(part) : String(part))
                }
                expected = inside && !stack.isEmpty ? stack.joined(separator: "/") : nil
            }
            #expect(SiteLinks.resolve(url, from: folder) == expected, "\(url) from \(folder)")
            #expect(SiteLinks.withoutQueryOrFragment(url) == String(url.prefix { $0 != "#" && $0 != "?" }), "\(url)")
        }
    }

    /// Loaders leave bodies unread where ``WorkflowEngine/readsBodies(_:signOffs:)`` says
    /// evaluating reads none: there, an article without its body is judged exactly as with it.
    @Test func evaluationReadsNoBodyWhereItSaysSo() {
        let text = Fixture.articleText(category: "general", body: "First paragraph.\n\n" + Fixture.disclaimer)
        let older = Fixture.articleText(category: "general", tags: "[b]", body: "Older text.\n\n" + Fixture.disclaimer)
        let sha = SignOff.sha256Hex(Array(text.utf8)), olderSha = SignOff.sha256Hex(Array(older.utf8))
        for disclaimers in [[String](), ["medical"]] {
            for unreviewed in [Set<String>(), ["tags"]] {
                for signed in [false, true] {
                    var policy = Fixture.policy
                    for name in policy.categories.keys { policy.categories[name]?.disclaimers = disclaimers }
                    policy.unreviewedFields = unreviewed
                    let configuration = WorkflowConfiguration(policy: policy, reviewers: Fixture.reviewers,
                                                              disclaimers: ["medical": Fixture.disclaimer], asOf: Fixture.asOf)
                    var facts = Fixture.facts(text, blob: "b2", changes: [Fixture.change("c2", by: "Writer", on: "2026-05-01", blob: "b2"),
                                                                         Fixture.change("c1", by: "Writer", on: "2026-04-07", blob: "b1")])
                    if signed {
                        facts.signOffs = [Fixture.record("ed", "editorial", on: "2026-04-09", blob: "b1", sha256: olderSha),
                                          Fixture.record("ed", "editorial", on: "2026-05-02", blob: "b2", sha256: sha)]
                        facts.revisions = ["b1": (ArticleParser.parse(path: "Articles/pml.md", bytes: Array(older.utf8)).0, olderSha)]
                    }
                    var bodiless = facts
                    bodiless.article.body = ""
                    bodiless.revisions = bodiless.revisions.mapValues { revision in
                        var article = revision.article
                        article.body = ""
                        return (article, revision.sha256)
                    }
                    let same = "\(WorkflowEngine.evaluate(facts, configuration))" == "\(WorkflowEngine.evaluate(bodiless, configuration))"
                    if !WorkflowEngine.readsBodies(policy, signOffs: signed) {
                        #expect(same, "disclaimers \(disclaimers), unreviewed \(unreviewed), signed \(signed)")
                    } else {
                        // Where it does read them, the body matters: the disclaimer is in it, and
                        // without bodies the older revision would pass for the current one.
                        #expect(!same, "disclaimers \(disclaimers), unreviewed \(unreviewed), signed \(signed)")
                    }
                }
            }
        }
    }

    /// The definition of an article's status JSON: its object as a tree of values, keys sorted
    /// by the tree's writer (as before the writer wrote it directly).
    static func articleValue(_ status: ArticleStatus) -> JSONValue {
        .object([
            ("title", .string(status.title)), ("state", .string(status.state.rawValue)), ("slug", .string(status.slug)),
            ("revision", .string(status.revision)), ("path", .string(status.path)), ("nextReviewDue", .string(status.nextReviewDue?.description)),
            ("missingRoles", .array(status.missingRoles.map { .string($0) })), ("lastUpdated", .string(status.lastUpdated?.description)),
            ("lastReviewed", .string(status.lastReviewed?.description)), ("lastChangedCommit", .string(status.lastChangedCommit)),
            ("lastChangedBy", .string(status.lastChangedBy)), ("lastChanged", .string(status.lastChanged?.description)),
            ("freshness", .string(status.freshness.rawValue)),
            ("findings", .array(status.findings.map { finding in
                .object([("severity", .string(finding.severity.rawValue)), ("rule", .string(finding.rule.rawValue)),
                         ("message", .string(finding.path == status.path ? finding.message : "\(finding.path): \(finding.message)")),
                         ("line", .int(finding.line))])
            })),
            ("category", .string(status.category)),
            ("retraction", status.retraction.map { r in
                .object([("role", .string(r.role)), ("revision", .string(r.revision)), ("reviewer", .string(r.reviewer)),
                         ("reason", .string(r.reason)), ("date", .string(r.date.description))])
            } ?? .null),
            ("suppressed", .object([("policy", .int(status.suppressed.byPolicy.count)), ("comments", .int(status.suppressed.byComment.count)),
                                    ("baseline", .int(status.suppressed.inBaseline.count))])),
            ("approvals", .array(status.approvals.map { approval in
                .object([("role", .string(approval.role)), ("revision", .string(approval.revision)), ("reviewer", .string(approval.reviewer)),
                         ("date", .string(approval.date.description)), ("current", .bool(approval.current))])
            })),
        ])
    }

    @Test func statusJSONWrittenDirectlyIsTheValuesText() async {
        let texts = ["", "plain", "quote \" \\", "line\nbreak\t", "\u{1}\u{7F}", "Ünïcödé 🩺", "::error::x", "a/b.md"]
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var random = SplitMix(seed: seed)
            func text() -> String { texts[random.next(in: 0..<texts.count)] }
            func maybe() -> String? { random.next(in: 0..<3) == 0 ? nil : text() }
            func day() -> Day? { random.next(in: 0..<3) == 0 ? nil : Day("2026-0\(random.next(in: 1..<10))-1\(random.next(in: 0..<10))") }
            let path = text()
            var status = ArticleStatus(slug: text(), path: GitPath(path), title: maybe(), category: maybe(),
                                       state: ReviewState.allCases[random.next(in: 0..<5)], freshness: Freshness.allCases[random.next(in: 0..<3)],
                                       lastUpdated: day(), lastChanged: day(), lastChangedCommit: maybe(), lastChangedBy: maybe(),
                                       lastReviewed: day(), nextReviewDue: day(), revision: text(), approvals: [],
                                       missingRoles: (0..<random.next(in: 0..<3)).map { _ in text() }, findings: [], isRetired: false)
            status.approvals = (0..<random.next(in: 0..<3)).map { _ in
                Approval(reviewer: text(), role: text(), date: day() ?? Day("2026-01-01")!, revision: text(), current: random.next(in: 0..<2) == 0,
                         comment: "")
            }
            if random.next(in: 0..<2) == 0 {
                status.retraction = Retraction(reviewer: text(), role: text(), date: day() ?? Day("2026-01-01")!, revision: text(), reason: text())
            }
            status.findings = (0..<random.next(in: 0..<4)).map { _ in
                Finding(.repeatedText, path: random.next(in: 0..<3) == 0 ? "Reviews/x.yml" : GitPath(path), line: random.next(in: 0..<2) == 0 ? nil : 7, text())
            }
            let silenced = Finding(.hiddenCharacters, path: GitPath(path), line: 3, text())
            status.suppressed.byPolicy = Array(repeating: silenced, count: random.next(in: 0..<3))
            status.suppressed.byComment = Array(repeating: silenced, count: random.next(in: 0..<3))
            status.suppressed.inBaseline = Array(repeating: silenced, count: random.next(in: 0..<3))
            for indent in [0, 4] {
                var writer = JSONWriter(indent: indent)
                StatusJSONReporter.write(status, into: &writer)
                #expect(writer.bytes == Self.articleValue(status).fragment(indent: indent), "seed \(seed)")
            }
            // In a document of values (the dashboard's), it writes itself at its place.
            #expect(JSONValue.array([StatusJSONReporter.article(status)]).rendered == JSONValue.array([Self.articleValue(status)]).rendered)
        }
    }
}
