import Paths

/// Entry point for the libFuzzer target `paths` (`ParserFuzzer`, `Scripts/check/fuzz`): a set of
/// article paths, one per line, of any bytes (twins that differ only in normalization or case,
/// bytes that are not UTF-8, repeated slugs), through what names, publishes and renders them.
/// Nothing may trap, and no two paths may ever be merged: each article is planned exactly once,
/// keeps its own entry, and its path names it (``ArticleNames``).
public enum PathFuzzing {
    static let policy: Policy = {
        let text = "roles: [editorial]\ncategories:\n  general:\n    required-roles: [editorial]\n    review-interval-days: 730\n    due-soon-days: 60\n"
        return try! PolicyParser.parse(Array(text.utf8), disclaimerIDs: [])
    }()
    static let article = Array("---\ntitle: T\nlast-updated: 2026-04-07\ncategory: general\n---\n\nText.\n".utf8)

    public static func paths(_ bytes: [UInt8]) {
        var policy = Self.policy
        // The first byte picks where slugs must be unique (everywhere, per root, per folder).
        policy.content.uniqueSlugs = ContentRoots.SlugScope.allCases[Int(bytes.first ?? 0) % ContentRoots.SlugScope.allCases.count]
        var seen: Set<GitPath> = []
        // A tree holds each path once; a line is a path below Articles/.
        let paths = bytes.dropFirst().split(separator: 0x0A).prefix(64).map { GitPath("Articles/") + GitPath(bytes: $0) }
            .filter { policy.content.isArticle($0) && seen.insert($0).inserted }
        let confusable = Dictionary(grouping: ConfusablePathRule.findings(paths, what: "article"), by: \.path)
        let day = Day("2026-05-01")!
        let configuration = WorkflowConfiguration(policy: policy, reviewers: [], disclaimers: [:], asOf: day)
        var facts: [ArticleFacts] = []
        var statuses: [ArticleStatus] = []
        for (i, path) in paths.enumerated() {
            let (article, findings) = ArticleParser.parse(path: path, bytes: article, content: policy.content)
            let blob = String(repeating: "0", count: 40 - String(i).count) + String(i)
            facts.append(ArticleFacts(article: article, parseFindings: findings + (confusable[path] ?? []), blob: blob))
            statuses.append(ArticleStatus(slug: article.slug, path: path, title: article.title, category: article.category, state: .approved,
                                          freshness: .fresh, lastUpdated: article.lastUpdated, lastReviewed: day, revision: blob,
                                          approvals: [], missingRoles: [], findings: findings + (confusable[path] ?? []),
                                          lastApprovedRevision: blob, isRetired: false))
        }
        let plan = PublishPlan.make(facts, statuses: statuses, configuration: configuration, previous: [:])
        precondition(plan.changes.count == paths.count, "every article is planned exactly once")
        precondition(Set(plan.entries.map(\.path)).count == plan.entries.count, "no two entries share a path")
        for group in ConfusablePaths.groups(paths) {
            precondition(!plan.entries.contains { group.contains($0.path) }, "confusable articles are held back")
        }
        // Every page the site would write is its own file (pages are held back rather than overwrite).
        let manifest = PublishedManifest(plan: plan, asOf: day)
        let pages = SiteRenderer.render(manifest, bodies: [:], content: policy.content)
        precondition(pages.count == plan.entries.count + pages.keys.filter { !$0.hasSuffix(".html") || $0 == "index.html" }.count,
                     "each published article has its own page")
        // A path names its own article, and a shared slug names none.
        let names = ArticleNames(statuses.map { (path: $0.path, slug: $0.slug, page: policy.content.pageName(of: $0.path)) })
        for path in paths where path.isUTF8 {
            precondition(names.resolve(path.text) == .found(path), "a path names its own article")
        }
        var bySlug: [String: Int] = [:]
        for status in statuses { bySlug[status.slug, default: 0] += 1 }
        for (slug, count) in bySlug where count > 1 && !paths.contains(where: { $0.text == slug }) {
            if case .found = names.resolve(slug) { preconditionFailure("a slug \(count) articles share picked one") }
        }
    }
}
