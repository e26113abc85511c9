import GitKit

/// One article at one revision, with what its history says.
public struct ArticleRecord: Sendable {
    public var article: Article
    /// Findings from parsing the file.
    public var parseFindings: [Finding]
    /// The article's blob at the revision.
    public var blob: ObjectID
    /// The commit that last changed the file (`git log -1 -- path`); `nil` past a shallow boundary.
    public var lastChange: CommitInfo?
}

/// Everything `review` reads from a repository at one revision, as values.
///
/// Built by ``RepositorySnapshot/load(from:revision:)``, the only place that reads the
/// repository for status and check; the rest of ReviewKit works on this value.
public struct RepositorySnapshot: Sendable {
    public var revision: ObjectID
    public var articles: [ArticleRecord]
    /// Entries under `Articles/` that are not articles (other files, symlinks, submodules).
    public var strayEntries: [Finding]
    public var reachedShallowBoundary: Bool

    public static let articlesDirectory = "Articles"

    /// Reads every article at `revision` and its last change, in one history walk.
    public static func load(from repository: Repository, revision: ObjectID) throws(ReviewError) -> RepositorySnapshot {
        do {
            let report = try HistoryEngine().lastChanges(in: repository, at: revision, under: articlesDirectory)
            var articles: [ArticleRecord] = []
            var stray: [Finding] = []
            for file in report.files {
                guard file.path.hasSuffix(".md") else {
                    stray.append(Finding(.invalidFrontMatter, path: file.path,
                                         "not an article: only '.md' files belong under Articles/; move or remove it"))
                    continue
                }
                guard file.kind == .blob || file.kind == .executable else {
                    stray.append(Finding(.invalidFrontMatter, path: file.path,
                                         "a \(file.kind) is not an article and is not read; replace it with a Markdown file"))
                    continue
                }
                let (article, findings) = ArticleParser.parse(path: file.path, bytes: try repository.blob(file.blob))
                articles.append(ArticleRecord(article: article, parseFindings: findings, blob: file.blob, lastChange: file.commit))
            }
            return RepositorySnapshot(revision: revision, articles: articles, strayEntries: stray,
                                      reachedShallowBoundary: report.reachedShallowBoundary)
        } catch let error {
            throw ReviewError(error)
        }
    }
}
