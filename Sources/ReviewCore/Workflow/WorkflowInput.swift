import Paths

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
    /// The author time, seconds since the epoch (0 when unknown): kept by rebases, which
    /// move the committer time on.
    public var authorTime: Int64 = 0
    /// Addresses of the commit's `Co-authored-by:` trailers, lowercased: authors too.
    public var coAuthors: [String] = []
    /// Who committed it: an author too, for self-approval (a reviewer who commits an edit
    /// under a colleague's author name still made it).
    public var committerName: String = ""
    public var committerEmail: String = ""
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

/// A sign-off record, where it was found, and where history put it.
public struct SignOffRecord: Sendable, Equatable {
    public var path: GitPath
    public var signOff: SignOff
    /// The position in history of the commit that first added the record (parents before
    /// children); decisions are ordered by it, never by the time a signer claims. `Int.max`
    /// for a record not committed yet.
    public var position: Int
    /// The commit that added the record, and its committer time; `nil` for a record not
    /// committed yet, or one whose adding commit lies past a shallow clone's boundary.
    public var addedBy: String?
    public var addedTime: Int64?
    /// The commit whose reviewers file had ended the signing key's validity before this
    /// record was added (it is an ancestor of the adding commit), if any.
    public var keyEndedBy: String?
    /// Every commit that introduced the record's bytes at its path (none of its parents held
    /// them): several when the same file was committed on two branches. Empty: just ``position``.
    public var introductions: [Int] = []
    /// Whether the record was made on a branch beside the commit that ended its key (neither
    /// descends from the other), rather than after it.
    public var madeBesideEnding = false
    /// A public key this record's signature is already known to verify with (checked by the
    /// loader on all cores), so the engine need not check it again against that same key.
    public var verifiedWith: [UInt8]?

    public init(path: GitPath, signOff: SignOff, position: Int = .max, addedBy: String? = nil, addedTime: Int64? = nil,
                keyEndedBy: String? = nil) {
        self.path = path
        self.signOff = signOff
        self.position = position
        self.addedBy = addedBy
        self.addedTime = addedTime
        self.keyEndedBy = keyEndedBy
    }

    /// History order: the adding commit's position, then the claimed time, then the path.
    public static func historyOrder(_ a: SignOffRecord, _ b: SignOffRecord) -> Bool {
        (a.position, a.signOff.timestamp, a.path) < (b.position, b.signOff.timestamp, b.path)
    }
}

/// Everything the workflow engine knows about one article: its content and its history.
///
/// A value kept behind one reference (``CopyOnWrite``): each article's facts are copied into
/// its evaluation and its rules' context, and a copy retained each of a dozen fields, objects
/// made on whichever core read the article (and the record's ancestry, which every article
/// shares).
public struct ArticleFacts: Sendable {
    struct Values: Sendable {
        var article: Article
        var parseFindings: [Finding]
        var blob: String
        var sha256: String
        var changes: [ChangeFact]
        var historyTruncated: Bool
        var signOffs: [SignOffRecord]
        var ancestry: CommitAncestry = .line
        var recordFindings: [Finding] = []
        var recordHistoryTruncated: Bool = false
        var revisions: [String: (article: Article, sha256: String)]
        var publishedBlob: String? = nil
        var translation: TranslationFacts? = nil
        var textChange: TextChange = .notLookedFor
        var textChangeArrival: TextChangeArrival?
    }
    private var stored: CopyOnWrite<Values>

    public var article: Article {
        _read { yield stored.value.article }
        _modify { yield &stored.value.article }
    }
    public var parseFindings: [Finding] {
        _read { yield stored.value.parseFindings }
        _modify { yield &stored.value.parseFindings }
    }
    /// The article's blob at the revision being looked at.
    public var blob: String {
        _read { yield stored.value.blob }
        _modify { yield &stored.value.blob }
    }
    /// SHA-256 of the current revision's bytes.
    public var sha256: String {
        _read { yield stored.value.sha256 }
        _modify { yield &stored.value.sha256 }
    }
    /// Commits that changed the file, newest first: at least the last one (when known), and
    /// back to the last approved revision when the article has sign-offs.
    public var changes: [ChangeFact] {
        _read { yield stored.value.changes }
        _modify { yield &stored.value.changes }
    }
    /// Whether ``changes`` is cut short by a shallow clone.
    public var historyTruncated: Bool {
        get { stored.value.historyTruncated }
        set { stored.value.historyTruncated = newValue }
    }
    /// Sign-off records that name this article.
    public var signOffs: [SignOffRecord] {
        _read { yield stored.value.signOffs }
        _modify { yield &stored.value.signOffs }
    }
    /// How the commits that added the records descend from one another (records' positions).
    public var ancestry: CommitAncestry {
        _read { yield stored.value.ancestry }
        _modify { yield &stored.value.ancestry }
    }
    /// What the append-only record log found wrong with this article's records: records
    /// deleted, moved, edited or unreadable (each blocks; the records still count), and
    /// whether the history the records need is cut short.
    public var recordFindings: [Finding] {
        _read { yield stored.value.recordFindings }
        _modify { yield &stored.value.recordFindings }
    }
    /// Whether the history of the review records is cut short by a shallow clone.
    public var recordHistoryTruncated: Bool {
        get { stored.value.recordHistoryTruncated }
        set { stored.value.recordHistoryTruncated = newValue }
    }
    /// Earlier revisions named by sign-offs: blob → (parsed article, SHA-256 of its bytes).
    public var revisions: [String: (article: Article, sha256: String)] {
        _read { yield stored.value.revisions }
        _modify { yield &stored.value.revisions }
    }
    /// The blob the published ref carries for this path, if any.
    public var publishedBlob: String? {
        _read { yield stored.value.publishedBlob }
        _modify { yield &stored.value.publishedBlob }
    }
    /// Where the article is a translation (the policy's `translations:`): its source and basis.
    public var translation: TranslationFacts? {
        _read { yield stored.value.translation }
        _modify { yield &stored.value.translation }
    }

    public init(article: Article, parseFindings: [Finding] = [], blob: String, sha256: String = "", changes: [ChangeFact] = [],
                historyTruncated: Bool = false, signOffs: [SignOffRecord] = [],
                revisions: [String: (article: Article, sha256: String)] = [:], publishedBlob: String? = nil) {
        stored = CopyOnWrite(Values(article: article, parseFindings: parseFindings, blob: blob, sha256: sha256, changes: changes,
                                    historyTruncated: historyTruncated, signOffs: signOffs, revisions: revisions,
                                    publishedBlob: publishedBlob))
    }

    public var lastChange: ChangeFact? { changes.first }

    /// The revision a retraction signed now names: the one readers see, that is the published
    /// one when the published ref carries another revision whose bytes are known here, else the
    /// current one. `review retract` and the dashboard's retraction form both sign this one.
    public var retractionTarget: (blob: String, sha256: String) {
        if let published = publishedBlob, published != blob, let known = revisions[published]?.sha256, !known.isEmpty {
            return (published, known)
        }
        return (blob, sha256)
    }

    /// The newest change readers can see (``ArticleParser/readerText(_:mapping:)`` differs from
    /// the revision before it), as far as the loader looked: for ``LastUpdatedNotBumpedRule``.
    public var textChange: TextChange {
        _read { yield stored.value.textChange }
        _modify { yield &stored.value.textChange }
    }

    /// How ``textChange`` and the last-updated date it is measured against reached the main line
    /// (the revision's first-parent chain), where the loader could tell.
    public var textChangeArrival: TextChangeArrival? {
        _read { yield stored.value.textChangeArrival }
        _modify { yield &stored.value.textChangeArrival }
    }
}

/// How an article's newest change readers can see reached the main line, and how its
/// last-updated date did: a pull request that sets the date on its first day and edits the text
/// on its sixth, merged on its seventh, shows readers the new text and the new date together.
public struct TextChangeArrival: Sendable, Equatable {
    /// The main-line commit that brought the change: the merge of its branch, or itself.
    public var change: String
    /// The change that set last-updated to its current value, when one of the changes that
    /// arrived with ``change`` did (the loader looks among those only).
    public var dateSetBy: String?

    public init(change: String, dateSetBy: String?) {
        self.change = change
        self.dateSetBy = dateSetBy
    }

    /// Whether the text and its date reached readers together.
    public var datedTogether: Bool { dateSetBy != nil }
}

/// What the loader found of an article's newest change readers can see.
public enum TextChange: Sendable, Equatable {
    /// It did not look (the last change is within the tolerance of last-updated, or the facts
    /// were not built from history): the last change stands for it.
    case notLookedFor
    /// No change after last-updated (and its tolerance) altered what readers see: only
    /// mechanical ones (metadata, whitespace, link targets), or the commit that created the file.
    case none
    /// This change did.
    case change(ChangeFact)
}

/// The repository-wide inputs: configuration and the date that counts as today.
///
/// A value, kept behind one reference that is copied on write: each article's evaluation puts
/// the configuration in its rules' context, and copying the policy's dozens of fields there
/// changed the reference counts of the same objects from every core at once (2% of a warm
/// `status` on windows-powershell-docs, where the cores contended for them).
public struct WorkflowConfiguration: Sendable {
    public var policy: Policy {
        _read { yield stored.value.policy }
        _modify { yield &stored.value.policy }
    }
    public var reviewers: [Reviewer] {
        _read { yield stored.value.reviewers }
        _modify { yield &stored.value.reviewers }
    }
    /// Disclaimer id → canonical text.
    public var disclaimers: [String: String] {
        _read { yield stored.value.disclaimers }
        _modify { yield &stored.value.disclaimers }
    }
    /// Disclaimer id → earlier canonical wordings, from the history of its file: an article
    /// reviewed with one of them keeps its approvals, and its page shows the current wording.
    public var disclaimerHistory: [String: [String]] {
        _read { yield stored.value.disclaimerHistory }
        _modify { yield &stored.value.disclaimerHistory }
    }
    /// "Today" (UTC, inclusive): a review due on `asOf` is due, not overdue.
    public var asOf: Day {
        get { stored.value.asOf }
        set { stored.value.asOf = newValue }
    }
    /// Each disclaimer's paragraphs as readers see them, computed once per configuration.
    public var disclaimerParagraphs: [String: [PlainParagraph]] { _read { yield stored.value.disclaimerParagraphs } }
    /// The accepted-findings baseline in force (`Reviews/accepted-findings.yml`).
    public var acceptedFindings: AcceptedFindings {
        _read { yield stored.value.acceptedFindings }
        _modify { yield &stored.value.acceptedFindings }
    }

    public init(policy: Policy, reviewers: [Reviewer], disclaimers: [String: String], disclaimerHistory: [String: [String]] = [:],
                asOf: Day) {
        stored = CopyOnWrite(Values(policy: policy, reviewers: reviewers, disclaimers: disclaimers, disclaimerHistory: disclaimerHistory,
                                    asOf: asOf, disclaimerParagraphs: disclaimers.mapValues { PlainParagraph.of(markdown: $0) }))
    }

    public func reviewer(_ id: String) -> Reviewer? { reviewers.first { $0.id == id } }

    /// An equal configuration that shares none of the objects the workflow reads for every
    /// article (its storage, the policy's, each category's and their settings), for one
    /// thread's share of the articles: evaluating retains and releases them many times per
    /// article, and where the cores share one object, each of those is its cache line passed
    /// from one core to the other (a warm `status` on windows-powershell-docs spent more CPU
    /// time on two cores than on one, most of it in those retains).
    public func unshared() -> WorkflowConfiguration {
        var copy = self
        copy.stored.unshare()
        copy.stored.value.policy = policy.unshared()
        return copy
    }

    private struct Values: Sendable {
        var policy: Policy
        var reviewers: [Reviewer]
        var disclaimers: [String: String]
        var disclaimerHistory: [String: [String]]
        var asOf: Day
        let disclaimerParagraphs: [String: [PlainParagraph]]
        var acceptedFindings = AcceptedFindings()
    }

    private var stored: CopyOnWrite<Values>
}
