import Paths

/// Where an article stands in review (the contract's `state`).
public enum ReviewState: String, Sendable, Codable, CaseIterable {
    case draft
    case inReview = "in-review"
    case changesRequested = "changes-requested"
    case approved
    case published
}

/// How an article stands against its review interval.
public enum Freshness: String, Sendable, Codable, CaseIterable {
    case fresh
    case dueSoon = "due-soon"
    case overdue
}

/// An approval as reported: who, which role, when, on which revision, and whether it counts
/// for the current one.
public struct Approval: Sendable, Equatable {
    public var reviewer: String
    public var role: String
    public var date: Day
    public var revision: String
    public var current: Bool
    /// For people: the reviewer's name and credentials, when known.
    public var reviewerName: String?
    public var credentials: String?
    public var comment: String
    /// The approval's public change note, when it carries one.
    public var changeNote: String? = nil
}

/// A signed retraction that stands: who took the article down, when, in which role, and the
/// public reason. It stands until every required role approves a newer revision (one whose
/// reviewed text differs from the retracted one) after it; re-approving the retracted text
/// never lifts it.
public struct Retraction: Sendable, Equatable, Codable {
    public var reviewer: String
    public var role: String
    public var date: Day
    /// The revision the retraction names (the one that was published when it was signed).
    public var revision: String
    public var reason: String
    public var reviewerName: String?
    public var credentials: String?

    public init(reviewer: String, role: String, date: Day, revision: String, reason: String, reviewerName: String? = nil,
                credentials: String? = nil) {
        self.reviewer = reviewer
        self.role = role
        self.date = date
        self.revision = revision
        self.reason = reason
        self.reviewerName = reviewerName
        self.credentials = credentials
    }
}

/// The workflow engine's verdict on one article.
public struct ArticleStatus: Sendable {
    public var slug: String
    public var path: GitPath
    public var title: String?
    public var category: String?
    public var state: ReviewState
    public var freshness: Freshness
    public var lastUpdated: Day?
    public var lastChanged: Day?
    public var lastChangedCommit: String?
    public var lastChangedBy: String?
    public var lastReviewed: Day?
    public var nextReviewDue: Day?
    public var revision: String
    public var approvals: [Approval]
    public var missingRoles: [String]
    public var findings: [Finding]
    /// The newest fully approved revision, if any (for `diff` and `publish`).
    public var lastApprovedRevision: String?
    public var isRetired: Bool
    /// For the newest fully approved revision: each required role's own latest approval of
    /// it (its review clock), in the policy's role order; empty when there is none.
    public var reviews: [Approval] = []
    /// Every counted `request-changes` decision, on any revision, in history order: the detail
    /// view tells the history as it is, not only the approvals.
    public var changeRequests: [Approval] = []
    /// One finding per record of this article that does not count or that the record log
    /// flags (for `review verify`).
    public var recordFindings: [Finding] = []
    /// The findings the team's switches silenced (switched off, suppressed in the article, in
    /// the baseline): not in ``findings``, and counted in every report.
    public var suppressed = SuppressedFindings()
    /// Where the article is a translation: its source, basis and whether it fell behind (issue 37).
    public var translation: TranslationStatus?
    /// The signed retraction that stands, if any: the article is not published while it does.
    public var retraction: Retraction? = nil
}
