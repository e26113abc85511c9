/// One commit that changed an article's file, as the workflow needs it.
public struct ChangeFact: Sendable, Equatable {
    public var commit: String
    public var authorName: String
    public var authorEmail: String
    /// The committer date in UTC.
    public var date: Day
    /// The committer date in the committer's own time zone.
    public var localDate: Day
    /// The committer time, seconds since the epoch (0 when unknown).
    public var time: Int64 = 0
    /// The file's blob after this commit.
    public var blobAfter: String?
    /// `false` when the commit only moved the file (a rename), leaving its content as it was.
    public var changedContent: Bool = true

    public init(commit: String, authorName: String, authorEmail: String, date: Day, localDate: Day? = nil, blobAfter: String?) {
        self.commit = commit
        self.authorName = authorName
        self.authorEmail = authorEmail
        self.date = date
        self.localDate = localDate ?? date
        self.blobAfter = blobAfter
    }
}

/// A sign-off record and where it was found.
public struct SignOffRecord: Sendable, Equatable {
    public var path: String
    public var signOff: SignOff

    public init(path: String, signOff: SignOff) {
        self.path = path
        self.signOff = signOff
    }
}

/// Everything the workflow engine knows about one article: its content and its history.
public struct ArticleFacts: Sendable {
    public var article: Article
    public var parseFindings: [Finding]
    /// The article's blob at the revision being looked at.
    public var blob: String
    /// SHA-256 of the current revision's bytes.
    public var sha256: String
    /// Commits that changed the file, newest first: at least the last one (when known), and
    /// back to the last approved revision when the article has sign-offs.
    public var changes: [ChangeFact]
    /// Whether ``changes`` is cut short by a shallow clone.
    public var historyTruncated: Bool
    /// Sign-off records that name this article.
    public var signOffs: [SignOffRecord]
    /// Earlier revisions named by sign-offs: blob → (parsed article, SHA-256 of its bytes).
    public var revisions: [String: (article: Article, sha256: String)]
    /// The blob the published ref carries for this path, if any.
    public var publishedBlob: String?

    public init(article: Article, parseFindings: [Finding] = [], blob: String, sha256: String = "", changes: [ChangeFact] = [],
                historyTruncated: Bool = false, signOffs: [SignOffRecord] = [],
                revisions: [String: (article: Article, sha256: String)] = [:], publishedBlob: String? = nil) {
        self.article = article
        self.parseFindings = parseFindings
        self.blob = blob
        self.sha256 = sha256
        self.changes = changes
        self.historyTruncated = historyTruncated
        self.signOffs = signOffs
        self.revisions = revisions
        self.publishedBlob = publishedBlob
    }

    public var lastChange: ChangeFact? { changes.first }
}

/// The repository-wide inputs: configuration and the date that counts as today.
public struct WorkflowConfiguration: Sendable {
    public var policy: Policy
    public var reviewers: [Reviewer]
    /// Disclaimer id → canonical text.
    public var disclaimers: [String: String]
    /// "Today" (UTC, inclusive): a review due on `asOf` is due, not overdue.
    public var asOf: Day

    public init(policy: Policy, reviewers: [Reviewer], disclaimers: [String: String], asOf: Day) {
        self.policy = policy
        self.reviewers = reviewers
        self.disclaimers = disclaimers
        self.asOf = asOf
    }

    public func reviewer(_ id: String) -> Reviewer? { reviewers.first { $0.id == id } }
}
