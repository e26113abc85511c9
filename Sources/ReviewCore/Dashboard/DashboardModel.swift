import Paths
import Foundation

/// What the dashboard shows at one revision, computed once per revision from the workflow's
/// results. Pure: values in, values out; the server keeps one and answers every page from it.
public struct DashboardModel: Sendable {
    public let report: StatusReport
    public let configuration: WorkflowConfiguration
    /// Articles by path, with their facts (records, bodies, the published blob).
    public let facts: [GitPath: ArticleFacts]
    /// Statuses by path.
    public let statusByPath: [GitPath: ArticleStatus]
    /// How a URL's name picks an article (path, or a slug or page name only one article has).
    public let names: ArticleNames
    /// The whole queue (every role), ordered by due date.
    public let queue: ReviewQueue
    /// Each article's owners.
    public let owners: [GitPath: [String]]
    /// Counts by state, by freshness, by category and by owner.
    public let summary: Summary

    public struct Counts: Sendable, Equatable {
        public var byState: [ReviewState: Int] = [:]
        public var total: Int { byState.values.reduce(0, +) }

        mutating func add(_ state: ReviewState) { byState[state, default: 0] += 1 }
    }

    public struct Summary: Sendable {
        public var all = Counts()
        public var byFreshness: [Freshness: Int] = [:]
        public var byCategory: [(name: String, counts: Counts)] = []
        public var byOwner: [(name: String, counts: Counts)] = []
        /// Overdue articles, longest overdue first.
        public var overdue: [ArticleStatus] = []
        /// Articles due within the category's warning period.
        public var dueSoon: [ArticleStatus] = []
        /// Articles with a blocking finding (an error), each with its first.
        public var blocking: [(status: ArticleStatus, finding: Finding)] = []
    }

    public init(articles: [ArticleFacts], report: StatusReport, configuration: WorkflowConfiguration, queue: ReviewQueue) {
        self.report = report
        self.configuration = configuration
        self.queue = queue
        facts = Dictionary(articles.map { ($0.article.path, $0) }, uniquingKeysWith: { a, _ in a })
        statusByPath = Dictionary(report.articles.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        names = ArticleNames(report.articles.map { (path: $0.path, slug: $0.slug, page: configuration.policy.content.pageName(of: $0.path)) })
        var owners: [GitPath: [String]] = [:]
        var summary = Summary()
        var categories: [String: Counts] = [:], byOwner: [String: Counts] = [:]
        for status in report.articles {
            let own = ReviewQueue.owners(of: status.path, article: facts[status.path]?.article, policy: configuration.policy)
            owners[status.path] = own
            summary.all.add(status.state)
            summary.byFreshness[status.freshness, default: 0] += 1
            categories[status.category ?? "(none)", default: Counts()].add(status.state)
            for owner in own.isEmpty ? ["(no owner)"] : own { byOwner[owner, default: Counts()].add(status.state) }
            // As `status` counts them: a retired article is never overdue or due soon.
            if !status.isRetired, status.freshness == .overdue { summary.overdue.append(status) }
            if !status.isRetired, status.freshness == .dueSoon { summary.dueSoon.append(status) }
            if let error = status.findings.first(where: { $0.severity == .error }) { summary.blocking.append((status, error)) }
        }
        let byDue = { (a: ArticleStatus, b: ArticleStatus) in (a.nextReviewDue ?? Day(daysSinceEpoch: .max), a.path) < (b.nextReviewDue ?? Day(daysSinceEpoch: .max), b.path) }
        summary.overdue.sort(by: byDue)
        summary.dueSoon.sort(by: byDue)
        summary.byCategory = categories.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        summary.byOwner = byOwner.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        self.owners = owners
        self.summary = summary
    }

    /// An article by path, or by a slug or page name exactly one article has (``ArticleNames``).
    public func resolve(_ name: String) -> ArticleNames.Resolution { names.resolve(name) }

    /// The article `name` picks, or `nil` when it picks none or several (``resolve(_:)`` says which).
    public func status(named name: String) -> ArticleStatus? {
        guard case .found(let path) = names.resolve(name) else { return nil }
        return statusByPath[path]
    }

    /// The articles a list shows: filtered by state, freshness, category, owner and a
    /// case-insensitive text in the title or path.
    public func articles(_ filter: ArticleFilter) -> [ArticleStatus] {
        report.articles.filter { status in
            (filter.state.map { status.state == $0 } ?? true)
                && (filter.freshness.map { status.freshness == $0 } ?? true)
                && (filter.category.map { (status.category ?? "(none)") == $0 } ?? true)
                && (filter.owner.map { owner in
                    let own = owners[status.path] ?? []
                    return own.isEmpty ? owner == "(no owner)" : own.contains(owner)
                } ?? true)
                && (filter.text.map { text in
                    status.path.text.localizedCaseInsensitiveContains(text) || (status.title?.localizedCaseInsensitiveContains(text) ?? false)
                } ?? true)
        }
    }

    /// What one reviewer can do: the queue items of the roles they hold.
    public func queue(for reviewer: Reviewer) -> [ReviewQueue.Item] {
        queue.items.filter { reviewer.roles.contains($0.role) }
    }

    /// The reviewers who may sign for an article today: holding one of its required roles with
    /// a key valid today.
    public func signers(of status: ArticleStatus) -> [Reviewer] {
        let roles = requiredRoles(of: status)
        return configuration.reviewers.filter { $0.isValid(on: configuration.asOf) && !Set($0.roles).isDisjoint(with: roles) }
    }

    /// The roles whose approval the article needs (its category's, and a translation's own;
    /// every role while the category is unknown).
    public func requiredRoles(of status: ArticleStatus) -> [String] {
        if let facts = facts[status.path] { return WorkflowEngine.requiredRoles(facts, configuration) }
        return status.category.flatMap { configuration.policy.categories[$0] }?.requiredRoles ?? configuration.policy.roles
    }
}

/// Which articles a list shows.
public struct ArticleFilter: Sendable, Equatable {
    public var state: ReviewState?
    public var freshness: Freshness?
    public var category: String?
    public var owner: String?
    public var text: String?

    public init(state: ReviewState? = nil, freshness: Freshness? = nil, category: String? = nil, owner: String? = nil, text: String? = nil) {
        self.state = state
        self.freshness = freshness
        self.category = category
        self.owner = owner
        self.text = text
    }

    /// From a query's values; an unknown state or freshness is an error naming the choices.
    public init(query: [String: String]) throws(ReviewError) {
        func value(_ key: String) -> String? { query[key].flatMap { $0.isEmpty ? nil : $0 } }
        if let s = value("state") {
            guard let state = ReviewState(rawValue: s) else {
                throw ReviewError("no state '\(s)'", remedy: "use one of: \(ReviewState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.state = state
        }
        if let f = value("freshness") {
            guard let freshness = Freshness(rawValue: f) else {
                throw ReviewError("no freshness '\(f)'", remedy: "use one of: \(Freshness.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.freshness = freshness
        }
        category = value("category")
        owner = value("owner")
        text = value("q")
    }

    /// The query string that gives this filter back (empty values left out).
    public var query: [(String, String)] {
        [("state", state?.rawValue), ("freshness", freshness?.rawValue), ("category", category), ("owner", owner), ("q", text)]
            .compactMap { key, value in value.map { (key, $0) } }
    }
}
