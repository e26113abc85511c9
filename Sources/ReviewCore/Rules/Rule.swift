import Paths

/// What a rule checks and why, for documentation and for SARIF rule metadata.
public struct RuleDescription: Sendable {
    /// The contract ids this rule reports.
    public var ids: [RuleID]
    public var summary: String
    public var rationale: String
}

/// Everything an article rule may look at: facts, configuration and the derived review outcome.
public struct ArticleContext: Sendable {
    public var facts: ArticleFacts
    public var configuration: WorkflowConfiguration
    public var category: Policy.Category?
    public var outcome: ReviewOutcome

    public var article: Article { facts.article }
    public var path: GitPath { facts.article.path }
    public var asOf: Day { configuration.asOf }
}

/// The review-derived values the engine computes before article rules run.
public struct ReviewOutcome: Sendable {
    public var state: ReviewState
    /// The roles that must approve the article (``WorkflowEngine/requiredRoles(_:_:)``), worked
    /// out once for the rules (a rule that worked them out again looked the category up and
    /// copied it for every article: 2% of a warm `status` on windows-powershell-docs).
    public var requiredRoles: [String]
    public var missingRoles: [String]
    public var lastReviewed: Day?
    public var nextReviewDue: Day?
    public var freshness: Freshness
    /// The newest `request-changes` decisions on the current revision, one per role.
    public var changeRequests: [SignOff]
    /// The signed retraction that stands, if any (``RetractedRule``).
    public var retraction: Retraction? = nil
}

/// A rule over one article: pure, no I/O, no clock.
public protocol ArticleRule: Sendable {
    static var description: RuleDescription { get }
    static func check(_ context: ArticleContext) -> [Finding]
}

/// What a sign-off rule may look at.
public struct SignOffContext: Sendable {
    public var record: SignOffRecord
    public var facts: ArticleFacts
    public var configuration: WorkflowConfiguration
    /// The reviewer the record names, if reviewers.yml lists them.
    public var reviewer: Reviewer?
    /// Commits that changed the article between the last revision approved before this record
    /// and the revision it names (for self-approval).
    public var changesSinceLastApproval: ArraySlice<ChangeFact>
    /// When the revision the record names first appeared in the article's history (the
    /// earlier of author and committer time of the first commit producing it), if known.
    public var revisionAppeared: Int64?
    /// Role → reviewer id of the approvals that count so far on the record's revision (or one
    /// equal to it), for separation of duties.
    public var approversOfRevision: [String: String]
    /// The roles that must approve the article: those the engine counts the record against
    /// (``WorkflowEngine/requiredRoles(_:_:)``), worked out once per article.
    public var requiredRoles: [String]

    public var signOff: SignOff { record.signOff }
}

/// A rule over one sign-off record: a finding means the record does not count.
public protocol SignOffRule: Sendable {
    static var description: RuleDescription { get }
    static func check(_ context: SignOffContext) -> Finding?
}

/// Every rule, in the order they run.
public enum RuleRegistry {
    /// Checked in order; the first that objects decides the record's finding.
    public static let signOffRules: [any SignOffRule.Type] = [
        HistoryMissingRule.self, UnknownReviewerRule.self, BadSignatureRule.self, UnattachedRecordRule.self,
        KeyExpiredRule.self, TimestampRule.self, RoleNotHeldRule.self, SelfApprovalRule.self, SeparationOfDutiesRule.self,
        RetractionAuthorityRule.self,
    ]

    public static let articleRules: [any ArticleRule.Type] = [
        InvalidFrontMatterRule.self, UnknownCategoryRule.self, FutureLastUpdatedRule.self, LastUpdatedNotBumpedRule.self,
        DisclaimerRule.self, OverdueRule.self, DueSoonRule.self, AwaitingReviewRule.self, ChangesRequestedRule.self,
        UnknownHistoryRule.self, RecordLogRule.self, ShallowHistoryRule.self, StructureFindingsRule.self, EmptySectionRule.self, ReadingLevelRule.self,
        ConfusablePathRule.self, RetractedRule.self,
    ]

    public static var descriptions: [RuleDescription] {
        (signOffRules.map { $0.description } + articleRules.map { $0.description } + StructureRules.all.map { $0.description }
         + [HiddenCharacterRule.description, BrokenLinkRule.description, LinkCaseRule.description, RenderIntegrity.description,
            SuppressionComments.description, TranslationOutdatedRule.description]
         + GovernanceRules.descriptions + FragmentGraph.descriptions)
            .filter { !$0.ids.isEmpty }
    }

    public static func description(of id: RuleID) -> RuleDescription? {
        descriptions.first { $0.ids.contains(id) }
    }
}
