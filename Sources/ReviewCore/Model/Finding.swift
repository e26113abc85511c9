import Paths

/// The contract's rule ids (see `design/contract.md`), plus the project's additions.
public enum RuleID: String, CaseIterable, Codable, Sendable, Comparable {
    case overdue
    case missingDisclaimer = "missing-disclaimer"
    case alteredDisclaimer = "altered-disclaimer"
    case invalidFrontMatter = "invalid-front-matter"
    case unknownCategory = "unknown-category"
    case futureLastUpdated = "future-last-updated"
    case lastUpdatedNotBumped = "last-updated-not-bumped"
    case badSignature = "bad-signature"
    case unknownReviewer = "unknown-reviewer"
    case selfApproval = "self-approval"
    case roleNotHeld = "role-not-held"
    case keyExpired = "key-expired"
    case dueSoon = "due-soon"
    case awaitingReview = "awaiting-review"
    case changesRequested = "changes-requested"
    /// Added by the project: a date that cannot be known (history cut by a shallow clone).
    case unknownHistory = "unknown-history"
    /// A committed sign-off record was deleted, renamed, moved, edited, or made a symlink or
    /// executable since; it still counts as it was committed.
    case recordTampered = "record-tampered"
    /// A committed sign-off record cannot be read (junk, a duplicate key, a bad timestamp).
    case unreadableRecord = "unreadable-record"
    /// A record's timestamp lies outside what history allows: before its revision existed,
    /// after the commit that added it, or after today.
    case timestampOutOfRange = "timestamp-out-of-range"
    /// The history a decision needs is missing (a shallow clone): fail closed.
    case historyMissing = "history-missing"
    /// The branch no longer holds the source commit, or a sign-off record, that the latest
    /// signed publication attests: its history was rewritten (a decision may have been erased).
    case historyRewritten = "history-rewritten"
    /// One reviewer approved one revision in two required roles.
    case separationOfDuties = "separation-of-duties"
    /// A record names a revision that is not one of its article's (or an article that is gone).
    case unattachedRecord = "unattached-record"
    /// A disclaimer in an earlier canonical wording: pages show the current one in its place.
    case outdatedDisclaimer = "outdated-disclaimer"
    /// Structure (the reference page's damage): a list introduced but missing, text printed
    /// twice, a question heading run into a paragraph.
    case introWithoutList = "list-intro-without-list"
    case repeatedText = "repeated-text"
    case runInQuestion = "run-in-question"
    case headingStructure = "heading-structure"
    case imageWithoutAlt = "image-without-alt"
    /// Raw HTML a page shows as literal text (pages never pass it through).
    case rawHTMLShown = "raw-html-shown"
    /// Text a template left to be written (`**Short answer:** …`, `{{ Fill in the Description }}`).
    case unfilledPlaceholder = "unfilled-placeholder"
    /// Bidirectional controls or invisible characters anywhere in an article.
    case hiddenCharacters = "hidden-characters"
    /// A link or image to another article or file that does not exist at the revision.
    case brokenLink = "broken-link"
    /// A link whose target exists with other letter case (`./activedirectory.md` for
    /// `ActiveDirectory.md`): it works on case-insensitive hosts (Microsoft Learn, Windows,
    /// macOS) and breaks on case-sensitive ones (GitHub's file view, a Linux server).
    case linkCaseMismatch = "link-case-mismatch"
    /// The rendered page lost a block of the source (a bug: the page is held back).
    case renderIntegrity = "render-integrity"
    /// The article reads above its category's `reading-age` (a warning with the figure).
    case readingLevel = "reading-level"
    /// A configuration change (policy, reviewers, disclaimers, root) not signed by enough
    /// governance keys: it has no effect, and the version in force stays.
    case unsignedConfiguration = "unsigned-configuration"
    /// A configuration signed as a version not above the one in force.
    case configurationRollback = "configuration-rollback"
    /// The first root does not match the fingerprint pinned outside the repository.
    case trustRootMismatch = "trust-root-mismatch"
    /// The root is trusted on first use: no fingerprint was pinned.
    case unpinnedTrustRoot = "unpinned-trust-root"
    /// No root governs the configuration: the committed one counts.
    case ungovernedConfiguration = "ungoverned-configuration"
    /// A `<!-- review-ignore … -->` comment that silences nothing: no reason, an unknown or
    /// fixed rule, a rule the policy keeps from being silenced, or no block after it.
    case invalidSuppression = "invalid-suppression"
    /// `check --require-trust-root` without a pinned, matching root.
    case trustRootRequired = "trust-root-required"
    /// The published ref holds an article no signed publication or approval justifies.
    case unjustifiedPublication = "unjustified-publication"
    /// Two files whose paths a reader could take for one another (equal up to Unicode
    /// normalization or letter case) but that git keeps apart.
    case confusablePaths = "confusable-paths"
    /// A translation's reviewed source moved on since it was made (or its basis is unknown).
    case translationOutdated = "translation-outdated"
    /// A translation's source is not an article, or its `translated-from` is no revision of it.
    case translationSource = "translation-source"
    /// An included fragment is not approved at its current revision (issue 37).
    case fragmentChanged = "fragment-changed"
    /// An include names no fragment: a missing file, a file outside `fragments: paths`, or a
    /// path out of the repository.
    case fragmentMissing = "fragment-missing"
    /// Fragments that include each other.
    case fragmentCycle = "fragment-cycle"
    /// A signed retraction stands: the article is taken down at the next `publish` and its
    /// page says it was withdrawn, until every required role approves a newer revision.
    case retracted
    /// A retraction by a role the article's category does not require: it does not count.
    case retractionNotAuthorized = "retraction-not-authorized"

    /// Errors block `review check`; warnings do not.
    public var severity: Severity {
        switch self {
        case .overdue, .missingDisclaimer, .alteredDisclaimer, .invalidFrontMatter, .unknownCategory,
             .futureLastUpdated, .lastUpdatedNotBumped, .badSignature, .unknownReviewer, .selfApproval,
             .roleNotHeld, .keyExpired, .recordTampered, .unreadableRecord, .timestampOutOfRange, .historyMissing, .historyRewritten,
             .separationOfDuties, .introWithoutList, .repeatedText, .runInQuestion, .headingStructure,
             .imageWithoutAlt, .hiddenCharacters, .brokenLink, .renderIntegrity, .unsignedConfiguration, .configurationRollback,
             .trustRootMismatch, .trustRootRequired, .unjustifiedPublication, .confusablePaths, .unfilledPlaceholder,
             .fragmentChanged, .fragmentMissing, .fragmentCycle, .retractionNotAuthorized:
            .error
        case .dueSoon, .awaitingReview, .changesRequested, .unknownHistory, .unattachedRecord, .outdatedDisclaimer, .readingLevel, .linkCaseMismatch, .rawHTMLShown,
             .unpinnedTrustRoot, .ungovernedConfiguration, .invalidSuppression, .translationOutdated, .translationSource, .retracted:
            .warning
        }
    }

    public static func < (lhs: RuleID, rhs: RuleID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The content rules: the team's to tune (`off`, `warning` or `error` under `rules:` in the
    /// policy, `<!-- review-ignore … -->` comments in articles, the accepted-findings baseline).
    /// The contract's rules, the record's and governance's are fixed: they decide what is approved.
    public static let adjustable: [RuleID] = [.introWithoutList, .repeatedText, .runInQuestion, .headingStructure, .imageWithoutAlt,
                                              .hiddenCharacters, .brokenLink, .linkCaseMismatch, .readingLevel, .rawHTMLShown]

    /// Whether this is one of the content rules (``adjustable``).
    public var isContent: Bool { Self.adjustable.contains(self) }
}

/// What the policy's `rules:` sets a content rule to: switched off (its findings are counted,
/// not shown), or shown with this severity.
public enum RuleLevel: String, Sendable, Equatable, CaseIterable {
    case off
    case warning
    case error

    /// The severity findings take at this level (`nil`: switched off).
    public var severity: Severity? {
        switch self {
        case .off: nil
        case .warning: .warning
        case .error: .error
        }
    }
}

public enum Severity: String, Codable, Sendable, Comparable {
    case warning
    case error

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs == .warning && rhs == .error }
}

/// One problem found in one file.
///
/// `line` is 1-based and counts lines of the whole file (front matter included); `nil` when
/// the finding concerns the file as a whole. Findings sort by path, line, then rule, so every
/// report lists them in the same order.
public struct Finding: Sendable, Hashable, Codable, Comparable {
    public var rule: RuleID
    public var path: GitPath
    public var line: Int?
    public var message: String

    /// The severity a category's policy set for this rule (`rules:`), when it set one.
    public var severityOverride: Severity?

    public var severity: Severity { severityOverride ?? rule.severity }

    public init(_ rule: RuleID, path: GitPath, line: Int? = nil, _ message: String) {
        self.rule = rule
        self.path = path
        self.line = line
        self.message = message
    }

    public static func < (lhs: Finding, rhs: Finding) -> Bool {
        (lhs.path, lhs.line ?? 0, lhs.rule, lhs.message) < (rhs.path, rhs.line ?? 0, rhs.rule, rhs.message)
    }
}

/// A finding can be the failure of a parse that yields findings instead of stopping.
extension Finding: Error {}
