import Paths

/// Decides, for each article, its review state, freshness, approvals and findings.
///
/// A pure function of its inputs: the same facts, configuration and `asOf` always give the
/// same result. No file access, no clock.
public enum WorkflowEngine {
    /// Evaluates each article in turn (``ReviewSession`` spreads this over the cores).
    public static func evaluate(_ articles: [ArticleFacts], _ configuration: WorkflowConfiguration) -> [ArticleStatus] {
        articles.map { evaluate($0, configuration) }
    }

    /// Whether evaluating articles under `policy` reads their bodies, so that a loader may leave
    /// them unread otherwise: the disclaimer rule reads them where a category requires a
    /// disclaimer, and revisions are compared by content (``RevisionClasses``) where the policy
    /// lists unreviewed fields and there are sign-offs. Nothing else decided here reads a body
    /// (the content rules ran when it was parsed).
    public static func readsBodies(_ policy: Policy, signOffs: Bool) -> Bool {
        policy.categories.values.contains { !$0.disclaimers.isEmpty } || (signOffs && !policy.unreviewedFields.isEmpty)
            || policy.fragments.isOn  // includes are found in the bodies
    }

    /// Whether evaluating articles under `policy` reads their reading level (a category sets a
    /// reading age), so that a loader may leave it unmeasured otherwise (it never decides
    /// anything else).
    public static func readsReadability(_ policy: Policy) -> Bool {
        policy.categories.values.contains { $0.readingAge != nil }
    }

    public static func evaluate(_ facts: ArticleFacts, _ configuration: WorkflowConfiguration) -> ArticleStatus {
        // The article is read in place through `facts` (a copy of it retained each of its
        // strings and lists, objects made on whichever core read the article: 7 ms of a warm
        // windows-powershell-docs run, on both cores).
        let category = facts.article.category.flatMap { configuration.policy.categories[$0] }
        let required = requiredRoles(facts, configuration, category: category)
        let revisions = RevisionClasses(facts, unreviewedFields: configuration.policy.unreviewedFields)
        let (ledger, recordFindings) = verify(facts, configuration, required: required, revisions: revisions)
        let isCurrent = revisions.isCurrent

        // The newest counted decision per role on the current revision, in history order.
        let newestOnCurrent = ledger.newest[revisions.key(revisions.current)] ?? [:]
        let missing = required.filter { newestOnCurrent[$0]?.decision != .approve }
        let requests = newestOnCurrent.values.filter { $0.decision == .requestChanges }.sorted { $0.role < $1.role }

        let state: ReviewState
        if ledger.counted.isEmpty {
            state = .draft
        } else if !requests.isEmpty {
            state = .changesRequested
        } else if missing.isEmpty {
            state = facts.publishedBlob.map(isCurrent) == true ? .published : .approved
        } else {
            state = .inReview
        }

        let approved = ledger.lastFullApproval()
        let interval = category?.reviewIntervalDays
        var nextDue = interval.flatMap { days in (approved?.day ?? facts.article.lastUpdated)?.adding(days: days) }
        // Never reviewed, in a repository adopted with a baseline: first due over its spread.
        if approved == nil, let baseline = configuration.policy.baseline, interval != nil {
            let first = baseline.firstDue(facts.article.path)
            nextDue = nextDue.map { max($0, first) } ?? first
        }
        let freshness: Freshness
        if let nextDue, configuration.asOf > nextDue {
            freshness = .overdue
        } else if let nextDue, let soon = category?.dueSoonDays, configuration.asOf >= nextDue.adding(days: -soon) {
            freshness = .dueSoon
        } else {
            freshness = .fresh
        }

        // Which revision came after which: the newest change that produced each blob (changes
        // are newest first). The current revision is the newest of all; a revision whose
        // place in history is unknown comes after nothing (the retraction stands).
        var newest: [String: Int] = [:]
        // By index: a change copied out retained its commit's strings, which the cores share.
        for i in facts.changes.indices { if let blob = facts.changes[i].blobAfter, newest[blob] == nil { newest[blob] = i } }
        let retraction = ledger.standingRetraction(isAfter: { approved, retracted in
            if revisions.isCurrent(approved) { return true }
            guard let at = newest[approved], let other = newest[retracted] else { return false }
            return at < other
        }).map { record in
            let reviewer = configuration.reviewer(record.reviewer)
            return Retraction(reviewer: record.reviewer, role: record.role, date: record.day, revision: record.blob,
                              reason: record.reason ?? "", reviewerName: reviewer?.name, credentials: reviewer?.credentials)
        }
        let outcome = ReviewOutcome(state: state, requiredRoles: required, missingRoles: missing,
                                    lastReviewed: approved?.day, nextReviewDue: nextDue, freshness: freshness,
                                    changeRequests: requests, retraction: retraction)
        let context = ArticleContext(facts: facts, configuration: configuration, category: category, outcome: outcome)
        var found = recordFindings
        for rule in RuleRegistry.articleRules { found += rule.check(context) }
        // The team's switches: the policy's and the category's `rules:` (and `unapproved-blocks:`),
        // the article's suppression comments, the accepted-findings baseline. What they silence
        // is kept and counted.
        let (findings, suppressed) = FindingSwitches.apply(found, article: facts.article, category: category, policy: configuration.policy,
                                                           accepted: configuration.acceptedFindings)

        func approval(_ record: SignOff) -> Approval {
            let reviewer = configuration.reviewer(record.reviewer)
            return Approval(reviewer: record.reviewer, role: record.role, date: record.day, revision: record.blob,
                            current: isCurrent(record.blob), reviewerName: reviewer?.name, credentials: reviewer?.credentials,
                            comment: record.comment, changeNote: record.changeNote)
        }
        let approvals = ledger.counted.filter { $0.decision == .approve }.map(approval)
        let last = facts.changes.indices.first  // read in place (see `newest` above)
        return ArticleStatus(
            slug: facts.article.slug, path: facts.article.path, title: facts.article.title, category: facts.article.category,
            state: state, freshness: freshness, lastUpdated: facts.article.lastUpdated,
            lastChanged: last.map { facts.changes[$0].date }, lastChangedCommit: last.map { facts.changes[$0].commit },
            lastChangedBy: last.map { facts.changes[$0].authorName },
            lastReviewed: approved?.day, nextReviewDue: nextDue, revision: facts.blob,
            approvals: approvals, missingRoles: missing, findings: findings.sorted(),
            lastApprovedRevision: approved?.blob, isRetired: facts.article.isRetired,
            reviews: approved?.reviews.map(approval) ?? [],
            changeRequests: ledger.counted.filter { $0.decision == .requestChanges }.map(approval),
            recordFindings: (recordFindings + facts.recordFindings).sorted(), suppressed: suppressed, retraction: retraction)
    }

    /// One finding for each of the article's records that does not count (for `review verify`).
    public static func recordFindings(_ facts: ArticleFacts, _ configuration: WorkflowConfiguration) -> [Finding] {
        verify(facts, configuration).1 + facts.recordFindings
    }

    /// Whether an approval of the current revision must carry a change note: the category says
    /// `change-note: required` and the reviewed text changed since the last approved revision
    /// (the first approval needs none). Returns that approved revision, or `nil`. `review
    /// approve` refuses without a note then, and the dashboard's form says so.
    public static func changeNoteRequired(_ facts: ArticleFacts, _ status: ArticleStatus, category: Policy.Category) -> String? {
        guard category.requiresChangeNote, let approved = status.lastApprovedRevision, approved != facts.blob,
              status.state != .approved, status.state != .published else { return nil }
        return approved
    }

    /// What would stop a new record from counting (checked before it is written), or `nil`.
    public static func problem(with record: SignOffRecord, for facts: ArticleFacts, _ configuration: WorkflowConfiguration) -> Finding? {
        var withRecord = facts
        withRecord.signOffs.append(record)
        return verify(withRecord, configuration).1.first { $0.path == record.path }
    }

    /// The roles that must approve the article: its category's, or, while the category is
    /// unknown (already an error), every role in the policy.
    /// A translation in a category with `translation-roles` needs those roles too (issue 37).
    public static func requiredRoles(_ facts: ArticleFacts, _ configuration: WorkflowConfiguration) -> [String] {
        requiredRoles(facts, configuration, category: facts.article.category.flatMap { configuration.policy.categories[$0] })
    }

    /// ``requiredRoles(_:_:)`` with the article's category already looked up (`nil`: unknown).
    static func requiredRoles(_ facts: ArticleFacts, _ configuration: WorkflowConfiguration, category: Policy.Category?) -> [String] {
        guard let category else { return configuration.policy.roles }
        guard !category.translationRoles.isEmpty, let language = configuration.policy.translations.locate(facts.article)?.language else {
            return category.requiredRoles
        }
        return category.requiredRoles + category.translationRoles(language: language)
    }

    /// Checks each record in history order (the commit that added it, never the time it
    /// claims); returns the decisions that count, folded into a ``DecisionLedger``, and a finding
    /// for each record that does not count. Linear in the number of records.
    static func verify(_ facts: ArticleFacts, _ configuration: WorkflowConfiguration, required: [String]? = nil,
                       revisions: RevisionClasses? = nil) -> (DecisionLedger, [Finding]) {
        let required = required ?? requiredRoles(facts, configuration)
        let revisions = revisions ?? RevisionClasses(facts, unreviewedFields: configuration.policy.unreviewedFields)
        // Most articles of a large site have no sign-off yet: nothing below to work out for them
        // (and no decision for the ledger to place in the record's history).
        guard !facts.signOffs.isEmpty else { return (DecisionLedger(required: required, revisions: revisions), []) }
        var ledger = DecisionLedger(required: required, revisions: revisions, ancestry: facts.ancestry)
        var findings: [Finding] = []
        // Where each revision first appears (changes are newest first, so the last one wins),
        // and each change's index, for the self-approval window.
        var appeared: [String: Int64] = [:]
        var indexOf: [String: [Int]] = [:]
        for (i, change) in facts.changes.enumerated() {
            guard let blob = change.blobAfter else { continue }
            let times = [change.time, change.authorTime].filter { $0 != 0 }
            if let earliest = times.min() { appeared[blob] = min(appeared[blob] ?? .max, earliest) }
            indexOf[blob, default: []].append(i)
        }
        for record in facts.signOffs.sorted(by: SignOffRecord.historyOrder) {
            let key = revisions.key(record.signOff.blob)
            let previous = ledger.lastApproved(excluding: key)
            let context = SignOffContext(
                record: record, facts: facts, configuration: configuration,
                reviewer: configuration.reviewer(record.signOff.reviewer),
                changesSinceLastApproval: changes(in: facts.changes, indexOf: indexOf, leadingTo: record.signOff.blob,
                                                  since: previous?.blob, current: facts.blob),
                revisionAppeared: appeared[record.signOff.blob],
                approversOfRevision: ledger.approvers(of: key), requiredRoles: required)
            if let finding = RuleRegistry.signOffRules.lazy.compactMap({ $0.check(context) }).first {
                findings.append(finding)
            } else {
                ledger.add(record.signOff, introductions: record.introductions.isEmpty ? [record.position] : record.introductions)
            }
        }
        return (ledger, findings)
    }

    /// The changes (newest first) from the one that produced `revision` back to, not including,
    /// the one that produced `approved`. `indexOf` lists each blob's indices in `history`.
    static func changes(in history: [ChangeFact], indexOf: [String: [Int]], leadingTo revision: String, since approved: String?,
                        current: String) -> ArraySlice<ChangeFact> {
        let start = indexOf[revision]?.first ?? (revision == current ? 0 : history.count)
        let end = approved.flatMap { blob in indexOf[blob]?.first { $0 >= start } } ?? history.endIndex
        return history[start..<end]
    }
}
