/// What `review publish` puts on the `published` ref: for each article, its newest revision
/// that every required role approved, that is not overdue, whose front matter is valid and that
/// carries every required disclaimer. Pure: decided from the workflow's inputs and results.
public struct PublishPlan: Sendable {
    /// One article as published.
    public struct Entry: Sendable, Equatable {
        public var path: String
        public var slug: String
        public var blob: String
        public var title: String
        public var category: String
        public var lastUpdated: Day?
        public var lastReviewed: Day
        public var nextReviewDue: Day?
        /// Each required role's own latest approval of this revision (its review clock).
        public var approvals: [Approval]
        /// Whether a newer, unapproved edit exists (the approved revision stays published).
        public var newerEditWaiting: Bool
    }

    public enum Change: Sendable, Equatable {
        case added(Entry)
        case updated(Entry, from: String)
        case unchanged(Entry)
        case removed(path: String, reason: String)
        case heldBack(path: String, reason: String)
    }

    public var entries: [Entry]
    public var changes: [Change]

    /// Decides the plan. `previous` maps each path on the current published ref to its blob.
    public static func make(_ articles: [ArticleFacts], statuses: [ArticleStatus], configuration: WorkflowConfiguration,
                            previous: [String: String]) -> PublishPlan {
        var entries: [Entry] = []
        var changes: [Change] = []
        let byPath = Dictionary(uniqueKeysWithValues: articles.map { ($0.article.path, $0) })
        for status in statuses.sorted(by: { $0.path < $1.path }) {
            guard let facts = byPath[status.path] else { continue }
            switch decide(facts, status, configuration) {
            case .success(let entry):
                entries.append(entry)
                if let old = previous[entry.path] {
                    changes.append(old == entry.blob ? .unchanged(entry) : .updated(entry, from: old))
                } else {
                    changes.append(.added(entry))
                }
            case .failure(let reason):
                if previous[status.path] != nil {
                    changes.append(.removed(path: status.path, reason: reason.text))
                } else {
                    changes.append(.heldBack(path: status.path, reason: reason.text))
                }
            }
        }
        let kept = Set(statuses.map(\.path))
        for path in previous.keys.sorted() where !kept.contains(path) {
            changes.append(.removed(path: path, reason: "no longer an article at this revision"))
        }
        return PublishPlan(entries: entries, changes: changes)
    }

    struct Reason: Error { let text: String }

    private static func decide(_ facts: ArticleFacts, _ status: ArticleStatus, _ configuration: WorkflowConfiguration) -> Result<Entry, Reason> {
        if status.isRetired { return .failure(Reason(text: "retired (status: retired)")) }
        // The current revision when it counts as approved (possibly through unreviewed fields
        // only), else the newest fully approved earlier one.
        let currentApproved = status.state == .approved || status.state == .published
        guard let blob = currentApproved ? facts.blob : status.lastApprovedRevision, let reviewed = status.lastReviewed else {
            return .failure(Reason(text: "no revision approved by every required role (\(status.state.rawValue))"))
        }
        let article: Article
        if blob == facts.blob {
            article = facts.article
        } else if let old = facts.revisions[blob]?.article {
            article = old
        } else {
            return .failure(Reason(text: "its approved revision \(blob.prefix(7)) cannot be read"))
        }
        guard let category = article.category.flatMap({ configuration.policy.categories[$0] }) else {
            return .failure(Reason(text: "category '\(article.category ?? "none")' is not in the policy"))
        }
        guard let title = article.title else { return .failure(Reason(text: "its approved revision has no title")) }
        let due = reviewed.adding(days: category.reviewIntervalDays)
        if configuration.asOf > due { return .failure(Reason(text: "review overdue since \(due)")) }
        for id in category.disclaimers {
            guard let text = configuration.disclaimers[id] else { continue }
            if DisclaimerMatcher.match(text, in: article.body, bodyFirstLine: article.bodyFirstLine) != .present {
                return .failure(Reason(text: "the approved revision lacks the '\(id)' disclaimer"))
            }
        }
        // Each required role's own review of this text, with its own date (not every approval).
        let approvals = status.reviews
        return .success(Entry(path: status.path, slug: status.slug, blob: blob, title: title, category: category.name,
                              lastUpdated: article.lastUpdated, lastReviewed: reviewed, nextReviewDue: due,
                              approvals: approvals, newerEditWaiting: blob != facts.blob))
    }

    /// Lines for `--dry-run` and for the commit message.
    public var summaryLines: [String] {
        changes.compactMap { change in
            switch change {
            case .added(let e): "add      \(e.path) at \(e.blob.prefix(7))" + (e.newerEditWaiting ? " (a newer edit awaits review)" : "")
            case .updated(let e, let old): "update   \(e.path) \(old.prefix(7)) → \(e.blob.prefix(7))"
            case .unchanged: nil
            case .removed(let path, let reason): "remove   \(path): \(reason)"
            case .heldBack(let path, let reason): "hold     \(path): \(reason)"
            }
        }
    }
}
