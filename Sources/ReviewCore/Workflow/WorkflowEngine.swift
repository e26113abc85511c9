/// Decides, for each article, its review state, freshness, approvals and findings.
///
/// A pure function of its inputs: the same facts, configuration and `asOf` always give the
/// same result. No file access, no clock.
public enum WorkflowEngine {
    /// Evaluates each article in turn (``ReviewSession`` spreads this over the cores).
    public static func evaluate(_ articles: [ArticleFacts], _ configuration: WorkflowConfiguration) -> [ArticleStatus] {
        articles.map { evaluate($0, configuration) }
    }

    public static func evaluate(_ facts: ArticleFacts, _ configuration: WorkflowConfiguration) -> ArticleStatus {
        let article = facts.article
        let category = article.category.flatMap { configuration.policy.categories[$0] }
        let required = requiredRoles(facts, configuration)
        let revisions = RevisionClasses(facts, unreviewedFields: configuration.policy.unreviewedFields)
        let (valid, recordFindings) = verify(facts, configuration, required: required, revisions: revisions)
        let isCurrent = revisions.isCurrent

        // The newest valid decision per role on the current revision.
        var newestOnCurrent: [String: SignOff] = [:]
        for record in valid where isCurrent(record.blob) {
            if let seen = newestOnCurrent[record.role], seen.timestamp > record.timestamp { continue }
            newestOnCurrent[record.role] = record
        }
        let missing = required.filter { newestOnCurrent[$0]?.decision != .approve }
        let requests = newestOnCurrent.values.filter { $0.decision == .requestChanges }.sorted { $0.role < $1.role }

        let state: ReviewState
        if valid.isEmpty {
            state = .draft
        } else if !requests.isEmpty {
            state = .changesRequested
        } else if missing.isEmpty {
            state = facts.publishedBlob.map(isCurrent) == true ? .published : .approved
        } else {
            state = .inReview
        }

        let approved = lastFullApproval(valid, required: required, revisions: revisions)
        let interval = category?.reviewIntervalDays
        let nextDue = interval.flatMap { days in (approved?.day ?? article.lastUpdated)?.adding(days: days) }
        let freshness: Freshness
        if let nextDue, configuration.asOf > nextDue {
            freshness = .overdue
        } else if let nextDue, let soon = category?.dueSoonDays, configuration.asOf >= nextDue.adding(days: -soon) {
            freshness = .dueSoon
        } else {
            freshness = .fresh
        }

        let outcome = ReviewOutcome(state: state, missingRoles: missing,
                                    lastReviewed: approved?.day, nextReviewDue: nextDue, freshness: freshness,
                                    changeRequests: requests)
        let context = ArticleContext(facts: facts, configuration: configuration, category: category, outcome: outcome)
        var findings = recordFindings
        for rule in RuleRegistry.articleRules { findings += rule.check(context) }

        let approvals = valid.filter { $0.decision == .approve }.sorted { ($0.timestamp, $0.role) < ($1.timestamp, $1.role) }.map { record in
            let reviewer = configuration.reviewer(record.reviewer)
            return Approval(reviewer: record.reviewer, role: record.role, date: record.day, revision: record.blob,
                            current: isCurrent(record.blob), reviewerName: reviewer?.name, credentials: reviewer?.credentials,
                            comment: record.comment)
        }
        let last = facts.lastChange
        return ArticleStatus(
            slug: article.slug, path: article.path, title: article.title, category: article.category,
            state: state, freshness: freshness, lastUpdated: article.lastUpdated,
            lastChanged: last?.date, lastChangedCommit: last?.commit, lastChangedBy: last?.authorName,
            lastReviewed: approved?.day, nextReviewDue: nextDue, revision: facts.blob,
            approvals: approvals, missingRoles: missing, findings: findings.sorted(),
            lastApprovedRevision: approved?.blob, isRetired: article.isRetired)
    }

    /// One finding for each of the article's records that does not count (for `review verify`).
    public static func recordFindings(_ facts: ArticleFacts, _ configuration: WorkflowConfiguration) -> [Finding] {
        verify(facts, configuration).1
    }

    /// What would stop a new record from counting (checked before it is written), or `nil`.
    public static func problem(with record: SignOffRecord, for facts: ArticleFacts, _ configuration: WorkflowConfiguration) -> Finding? {
        var withRecord = facts
        withRecord.signOffs.append(record)
        return verify(withRecord, configuration).1.first { $0.path == record.path }
    }

    /// The roles that must approve the article: its category's, or, while the category is
    /// unknown (already an error), every role in the policy.
    static func requiredRoles(_ facts: ArticleFacts, _ configuration: WorkflowConfiguration) -> [String] {
        facts.article.category.flatMap { configuration.policy.categories[$0] }?.requiredRoles ?? configuration.policy.roles
    }

    /// Checks each record in signing order; returns those that count and a finding for each that does not.
    static func verify(_ facts: ArticleFacts, _ configuration: WorkflowConfiguration, required: [String]? = nil,
                       revisions: RevisionClasses? = nil) -> ([SignOff], [Finding]) {
        let required = required ?? requiredRoles(facts, configuration)
        let revisions = revisions ?? RevisionClasses(facts, unreviewedFields: configuration.policy.unreviewedFields)
        var valid: [SignOff] = []
        var findings: [Finding] = []
        let ordered = facts.signOffs.sorted { ($0.signOff.timestamp, $0.path) < ($1.signOff.timestamp, $1.path) }
        for record in ordered {
            let previous = lastFullApproval(valid, required: required, revisions: revisions, excluding: record.signOff.blob)
            let context = SignOffContext(
                record: record, facts: facts, configuration: configuration,
                reviewer: configuration.reviewer(record.signOff.reviewer),
                changesSinceLastApproval: changes(in: facts.changes, leadingTo: record.signOff.blob, since: previous?.blob,
                                                  current: facts.blob))
            if let finding = RuleRegistry.signOffRules.lazy.compactMap({ $0.check(context) }).first {
                findings.append(finding)
            } else {
                valid.append(record.signOff)
            }
        }
        return (valid, findings)
    }

    /// The newest revision every required role approved (each role's newest decision on its
    /// equivalence class is `approve`), with the day its last required approval was signed.
    ///
    /// The current revision's class wins when it is fully approved, so `state == .approved`
    /// always comes with a `lastReviewed` date; otherwise the class completed last. The blob
    /// returned is the current one for the current class, else the class's most recently
    /// approved member. `excluding` leaves out the class of one blob (the record being judged).
    static func lastFullApproval(_ records: [SignOff], required: [String], revisions: RevisionClasses,
                                 excluding: String? = nil) -> (blob: String, day: Day)? {
        guard !required.isEmpty else { return nil }
        let excludedClass = excluding.map(revisions.key)
        var byClass: [String: [String: SignOff]] = [:]
        var newestMember: [String: (blob: String, time: Int64)] = [:]
        for record in records {
            let key = revisions.key(record.blob)
            if key == excludedClass { continue }
            if let seen = byClass[key]?[record.role], seen.timestamp > record.timestamp { continue }
            byClass[key, default: [:]][record.role] = record
            if newestMember[key].map({ record.timestamp >= $0.time }) ?? true { newestMember[key] = (record.blob, record.timestamp) }
        }
        var best: (key: String, time: Int64)?
        let currentKey = revisions.key(revisions.current)
        for (key, roles) in byClass {
            let decisions = required.compactMap { roles[$0] }
            guard decisions.count == required.count, decisions.allSatisfy({ $0.decision == .approve }) else { continue }
            let completed = decisions.map(\.timestamp).max()!
            if key == currentKey { best = (key, completed); break }
            if best == nil || completed > best!.time || (completed == best!.time && key < best!.key) { best = (key, completed) }
        }
        guard let best else { return nil }
        let blob = best.key == currentKey ? revisions.current : newestMember[best.key]!.blob
        return (blob, Day(secondsSinceEpoch: best.time))
    }

    /// The changes (newest first) from the one that produced `revision` back to, not including,
    /// the one that produced `approved`.
    static func changes(in history: [ChangeFact], leadingTo revision: String, since approved: String?, current: String) -> [ChangeFact] {
        let start = history.firstIndex { $0.blobAfter == revision } ?? (revision == current ? 0 : history.count)
        let rest = history[start...]
        let end = approved.flatMap { blob in rest.firstIndex { $0.blobAfter == blob } } ?? history.endIndex
        return Array(history[start..<end])
    }
}
