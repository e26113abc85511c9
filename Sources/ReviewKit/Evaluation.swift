import Paths
import GitKit
import ReviewCore

/// What ``ReviewSession/Reading/evaluate(asOf:)`` read and decided.
public struct Evaluation: Sendable {
    public let snapshot: RepositorySnapshot
    public let report: StatusReport
    public var head: String { snapshot.revision.hex }

    /// The fragments' own statuses (their state, approvals, last approved revision), sorted by
    /// path: not articles, so not in ``report`` (docs/fragments.md). Empty when fragments are off.
    public let fragments: [ArticleStatus]
    /// The include graph, when the policy turns fragments on.
    public let fragmentGraph: FragmentGraph?

    /// Runs the workflow engine over every article of the snapshot, on all cores; articles
    /// sorted by path. Where the policy names fragments, they are judged first (each under the
    /// strictest category of the articles that include it), and each article's state and
    /// findings then take its fragments into account (``FragmentGraph/apply(to:fragments:)``).
    init(snapshot: RepositorySnapshot, asOf: Day) {
        self.snapshot = snapshot
        let configuration = snapshot.configuration(asOf: asOf)
        let settings = snapshot.policy.fragments
        guard settings.isOn else {
            // Translations are judged against their sources' approvals once every article has its own (issue 37).
            let statuses = TranslationCheck.apply(snapshot.articles.parallelMap(state: configuration.unshared) { WorkflowEngine.evaluate($1, $0) },
                                                  facts: snapshot.articles, configuration: configuration)
            report = StatusReport(asOf: asOf, head: snapshot.revision.hex, articles: Self.byPath(statuses),
                                  otherFindings: (snapshot.strayFindings + snapshot.trustFindings).sorted())
            fragments = []
            fragmentGraph = nil
            return
        }
        let graph = FragmentGraph(snapshot.articles, settings: settings)
        let articles = snapshot.articles.filter { !settings.isFragment($0.article.path) }
        var fragmentFacts = snapshot.articles.filter { settings.isFragment($0.article.path) }
        let categories = graph.categories(Dictionary(articles.map { ($0.article.path, $0.article.category) }, uniquingKeysWith: { a, _ in a }),
                                          policy: snapshot.policy)
        for i in fragmentFacts.indices { fragmentFacts[i].article.category = categories[fragmentFacts[i].article.path] }
        let fragmentStatuses = Self.byPath(fragmentFacts.parallelMap(state: configuration.unshared) { WorkflowEngine.evaluate($1, $0) })
        let byPath = Dictionary(fragmentStatuses.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let statuses = TranslationCheck.apply(graph.apply(to: articles.parallelMap(state: configuration.unshared) { WorkflowEngine.evaluate($1, $0) }, fragments: byPath),
                                              facts: articles, configuration: configuration)
        // A fragment's records and content findings are reported on its own path; what concerns
        // only articles (front matter, disclaimers, review dates) does not apply to it.
        let fragmentFindings = fragmentStatuses.flatMap { $0.findings.filter { !FragmentGraph.notForFragments.contains($0.rule) } }
        report = StatusReport(asOf: asOf, head: snapshot.revision.hex, articles: Self.byPath(statuses),
                              otherFindings: (snapshot.strayFindings + snapshot.trustFindings + fragmentFindings).sorted())
        fragments = fragmentStatuses
        fragmentGraph = graph
    }

    /// Statuses sorted by path. Articles are read in git's tree order, which is already that
    /// order for most sites; sorting tens of thousands of statuses again is then skipped.
    static func byPath(_ statuses: [ArticleStatus]) -> [ArticleStatus] {
        let inOrder = statuses.indices.dropFirst().allSatisfy { !(statuses[$0].path < statuses[$0 - 1].path) }
        return inOrder ? statuses : statuses.sorted { $0.path < $1.path }
    }

    /// The named articles (slug or path), in the order given.
    public func selecting(_ names: [String]) throws(ReviewError) -> [ArticleStatus] {
        let all = snapshot.articles.map(\.article)
        return try names.map { (name) throws(ReviewError) -> ArticleStatus in
            let path = try ArticleLookup.find(name, in: all, content: snapshot.policy.content).path
            guard let status = report.articles.first(where: { $0.path == path }) ?? fragments.first(where: { $0.path == path }) else {
                throw ReviewError(file: path, "is not a readable article", remedy: "see 'review status'")
            }
            return status
        }
    }
}

/// `review diff`'s answer.
public enum ArticleDiff: Sendable {
    case neverApproved(ArticleStatus)
    case unchanged(ArticleStatus)
    case changed(ArticleStatus, patch: String, added: Int, removed: Int)
}

/// One line of `review last-changes`.
public struct LastChangeLine: Sendable, Equatable {
    public var path: GitPath
    /// `nil` past a shallow clone's boundary.
    public var commit: String?
    public var committerTime: Int64?
    public var committerOffsetMinutes: Int?
}
