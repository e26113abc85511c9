import GitKit

/// What `review status` reports for each article (the contract's JSON fields grow into it as
/// the workflow engine lands).
public struct StatusReport: Sendable {
    public struct Entry: Sendable {
        public var slug: String
        public var path: String
        public var title: String?
        public var category: String?
        public var lastUpdated: Day?
        /// The committer date (UTC) of the last commit that changed the file; `nil` when unknown.
        public var lastChanged: Day?
        public var lastChangedCommit: String?
        public var lastChangedBy: String?
        public var findings: [Finding]
    }

    public var asOf: Day
    public var head: String
    public var articles: [Entry]

    /// Builds the report from a snapshot; articles sorted by path.
    public init(snapshot: RepositorySnapshot, asOf: Day) {
        self.asOf = asOf
        head = snapshot.revision.hex
        articles = snapshot.articles.sorted { $0.article.path < $1.article.path }.map { record in
            var findings = record.parseFindings
            if record.lastChange == nil {
                findings.append(Finding(.unknownHistory, path: record.article.path,
                                        "history ends at the shallow clone's boundary before this article's last change; fetch more history (git fetch --unshallow)"))
            }
            return Entry(
                slug: record.article.slug, path: record.article.path, title: record.article.title,
                category: record.article.category, lastUpdated: record.article.lastUpdated,
                lastChanged: record.lastChange.map { Day(secondsSinceEpoch: $0.committer.time) },
                lastChangedCommit: record.lastChange?.id.hex, lastChangedBy: record.lastChange?.author.name,
                findings: findings.sorted())
        }
    }
}
