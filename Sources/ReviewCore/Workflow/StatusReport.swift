/// What `review status` and `review check` report: every article's status at one revision.
public struct StatusReport: Sendable {
    public var asOf: Day
    public var head: String
    public var articles: [ArticleStatus]
    /// Findings that belong to no article (stray files, orphaned records).
    public var otherFindings: [Finding]

    public init(asOf: Day, head: String, articles: [ArticleStatus], otherFindings: [Finding] = []) {
        self.asOf = asOf
        self.head = head
        self.articles = articles
        self.otherFindings = otherFindings
    }

    public var allFindings: [Finding] { (articles.flatMap(\.findings) + otherFindings).sorted() }

    /// Counts per state, plus overdue, due soon and blocking findings (the contract's `summary`).
    public var summary: [String: Int] {
        var counts = Dictionary(uniqueKeysWithValues: ReviewState.allCases.map { ($0.rawValue, 0) })
        for article in articles { counts[article.state.rawValue, default: 0] += 1 }
        counts["overdue"] = articles.filter { $0.freshness == .overdue && !$0.isRetired }.count
        counts["dueSoon"] = articles.filter { $0.freshness == .dueSoon && !$0.isRetired }.count
        counts["blocking"] = allFindings.filter { $0.severity == .error }.count
        return counts
    }
}
