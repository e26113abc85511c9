import Paths

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

    /// How many findings the team's switches silenced, over every article.
    public var suppressed: SuppressedCounts {
        articles.reduce(SuppressedCounts()) { $0 + $1.suppressed.counts }
    }

    /// Counts per state, plus overdue, due soon and blocking findings (the contract's `summary`).
    public var summary: [String: Int] {
        // Counted in one pass over the articles: a large site has a hundred thousand findings,
        // which need not be gathered and sorted (``allFindings``) to be counted.
        var states = [ReviewState: Int](uniqueKeysWithValues: ReviewState.allCases.map { ($0, 0) })
        var overdue = 0, dueSoon = 0
        var blocking = otherFindings.reduce(0) { $0 + ($1.severity == .error ? 1 : 0) }
        // By index, each field read in place: `for article in articles` copied every status
        // (a retain per field; about 10 ms, alone on one core, for windows-powershell-docs).
        for i in articles.indices {
            states[articles[i].state, default: 0] += 1
            if !articles[i].isRetired, articles[i].freshness == .overdue { overdue += 1 }
            if !articles[i].isRetired, articles[i].freshness == .dueSoon { dueSoon += 1 }
            blocking += articles[i].findings.count { $0.severity == .error }
        }
        var counts = Dictionary(uniqueKeysWithValues: states.map { ($0.key.rawValue, $0.value) })
        counts["overdue"] = overdue
        counts["dueSoon"] = dueSoon
        counts["blocking"] = blocking
        return counts
    }
}
