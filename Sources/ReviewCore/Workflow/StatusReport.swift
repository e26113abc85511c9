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
        // Per state by its place among the cases: a dictionary keyed by state hashed each one.
        let cases = ReviewState.allCases
        var states = [Int](repeating: 0, count: cases.count)
        var overdue = 0, dueSoon = 0
        var blocking = Self.errors(in: otherFindings)
        // By index, each field read in place: `for article in articles` copied every status
        // (a retain per field; about 10 ms, alone on one core, for windows-powershell-docs).
        for i in articles.indices {
            states[cases.firstIndex(of: articles[i].state)!] += 1
            if !articles[i].isRetired, articles[i].freshness == .overdue { overdue += 1 }
            if !articles[i].isRetired, articles[i].freshness == .dueSoon { dueSoon += 1 }
            blocking += Self.errors(in: articles[i].findings)
        }
        var counts = Dictionary(uniqueKeysWithValues: zip(cases, states).map { ($0.rawValue, $1) })
        counts["overdue"] = overdue
        counts["dueSoon"] = dueSoon
        counts["blocking"] = blocking
        return counts
    }

    /// How many of `findings` are errors, each severity read in place (`count(where:)` copied
    /// every finding out of the array to test it: 28,456 copies for windows-powershell-docs,
    /// alone on one core at the end of `status`).
    private static func errors(in findings: [Finding]) -> Int {
        var n = 0
        for j in findings.indices where findings[j].severity == .error { n += 1 }
        return n
    }
}
