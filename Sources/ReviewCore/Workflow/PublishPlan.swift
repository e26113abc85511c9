import Paths

/// What `review publish` puts on the `published` ref: for each article, its newest revision
/// that every required role approved, that is not overdue, whose front matter is valid and that
/// carries every required disclaimer. Pure: decided from the workflow's inputs and results.
public struct PublishPlan: Sendable {
    /// One article as published.
    public struct Entry: Sendable, Equatable {
        public var path: GitPath
        public var slug: String
        public var blob: String
        public var title: String
        public var category: String
        public var lastUpdated: Day?
        public var lastReviewed: Day
        public var nextReviewDue: Day?
        /// Each required role's own latest approval of this revision (its review clock), in
        /// the policy's role order.
        public var approvals: [Approval]
        /// Whether a newer, unapproved edit exists (the approved revision stays published).
        public var newerEditWaiting: Bool
        /// The day the review fell due, when it is overdue and the category keeps the page
        /// with a notice.
        public var overdueSince: Day? = nil
        /// The approved revision's `summary`, for the page's description.
        public var summary: String? = nil
        /// The category's disclaimers, with the current canonical wording the page shows.
        public var disclaimers: [PublishedManifest.Disclaimer] = []
        /// Repository paths of the files (images, documents) the approved text links or shows.
        public var linkedFiles: [GitPath] = []
        /// The approved revision's front-matter `authors`, for the page's byline.
        public var authors: [String] = []
        /// Where the article is a translation: its source and the review day of the source
        /// revision it was made from (issue 37).
        public var translatedFrom: PublishedManifest.TranslatedFrom? = nil
        /// The public change notes of the reviewed revisions up to this one, most recent first.
        public var changeNotes: [ChangeNote] = []
    }

    /// One reviewed revision's public change note ("What changed"), signed with its approval.
    public struct ChangeNote: Sendable, Equatable, Codable {
        public var date: Day
        public var note: String
        public var revision: String

        public init(date: Day, note: String, revision: String) {
            self.date = date
            self.note = note
            self.revision = revision
        }
    }

    /// The change notes of the revisions reviewed up to and including `blob`, one per revision
    /// (its newest note), most recent first. `published`: the published blob and the revisions
    /// whose approvals make its class approved. `approvals` are in history order; notes on
    /// revisions approved after the published one (not published yet) are left out.
    static func changeNotes(_ approvals: [Approval], upTo published: Set<String>) -> [ChangeNote] {
        guard let last = approvals.lastIndex(where: { published.contains($0.revision) }) else { return [] }
        var notes: [ChangeNote] = []
        for approval in approvals[...last] {
            guard let note = approval.changeNote, !note.isEmpty else { continue }
            notes.removeAll { $0.revision == approval.revision }
            notes.append(ChangeNote(date: approval.date, note: note, revision: approval.revision))
        }
        return notes.reversed()
    }

    /// File names the site generates itself: no article's page may take one.
    public static let reservedSlugs: Set<String> = ["index", "sitemap", "style", "assets"]

    /// Findings about an article's records or identity that keep it off the site, whatever
    /// revision would be published: a record that does not count never lets an article out.
    static let holdingRules: Set<RuleID> = [
        .recordTampered, .unreadableRecord, .badSignature, .unknownReviewer, .roleNotHeld, .keyExpired, .selfApproval,
        .timestampOutOfRange, .separationOfDuties, .historyMissing, .confusablePaths, .unfilledPlaceholder, .retractionNotAuthorized,
    ]

    /// An article taken down by a signed retraction: its page says it was withdrawn, when and
    /// why (the reason is public), and the sitemap and feed list it as removed.
    public struct Withdrawal: Sendable, Equatable, Codable {
        public var path: GitPath
        public var slug: String
        public var title: String
        public var category: String
        public var date: Day
        public var reason: String
        /// Who retracted it, as readers see them.
        public var reviewerName: String
        public var credentials: String
        public var role: String
        /// The revision the retraction names.
        public var revision: String
    }

    public enum Change: Sendable, Equatable {
        case added(Entry)
        case updated(Entry, from: String)
        case unchanged(Entry)
        case removed(path: GitPath, reason: String)
        case heldBack(path: GitPath, reason: String)
        /// Taken down (or kept down) by a signed retraction; `wasPublished` when the published
        /// ref held it until now.
        case withdrawn(Withdrawal, wasPublished: Bool)
    }

    public var entries: [Entry]
    public var changes: [Change]
    /// The articles a standing retraction keeps down, each with its notice page.
    public var withdrawals: [Withdrawal] = []

    /// Decides the plan. `previous` maps each path on the current published ref to its blob.
    public static func make(_ articles: [ArticleFacts], statuses: [ArticleStatus], configuration: WorkflowConfiguration,
                            previous: [GitPath: String]) -> PublishPlan {
        var entries: [Entry] = []
        var changes: [Change] = []
        var withdrawals: [Withdrawal] = []
        let byPath = Dictionary(articles.map { ($0.article.path, $0) }, uniquingKeysWith: { first, _ in first })
        // Pages are named by slug, or where slugs repeat across folders by path (content: unique-slugs).
        let page = { (status: ArticleStatus) in configuration.policy.content.pageName(of: status.path) }
        var pageCount: [String: Int] = [:]
        for status in statuses { pageCount[page(status), default: 0] += 1 }
        for status in statuses.sorted(by: { $0.path < $1.path }) {
            guard let facts = byPath[status.path] else { continue }
            let decision: Result<Entry, Reason>
            if let withdrawal = withdrawal(facts, status, configuration, page: page(status), wasPublished: previous[status.path] != nil) {
                // A standing retraction takes the page down at once, whatever its approvals
                // (and whatever max-unpublish-percent says: it is not counted as a removal).
                withdrawals.append(withdrawal)
                changes.append(.withdrawn(withdrawal, wasPublished: previous[status.path] != nil))
                continue
            } else if status.retraction != nil {
                // Retracted before it was ever public and still under embargo: nothing reveals it.
                decision = .failure(Reason(text: "retracted, and embargoed (publish-on): no withdrawal notice before it would have gone live"))
            } else if reservedSlugs.contains(page(status)) {
                decision = .failure(Reason(text: "its page name '\(page(status))' names a page the site generates; rename the file"))
            } else if pageCount[page(status), default: 0] > 1 {
                decision = .failure(Reason(text: "another article has the page name '\(page(status))', so their pages would overwrite each other"))
            } else if let finding = status.findings.first(where: { holdingRules.contains($0.rule) && $0.severity == .error }) {
                decision = .failure(Reason(text: finding.rule == .confusablePaths
                    ? "confusable-paths: its path reads like another article's; rename one of them first"
                    : finding.rule == .unfilledPlaceholder
                    ? "unfilled-placeholder on line \(finding.line ?? 0): write the text the template left first"
                    : "\(finding.rule.rawValue) on \(finding.path): fix the record history first"))
            } else {
                decision = decide(facts, status, configuration)
            }
            switch decision {
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
        return PublishPlan(entries: entries, changes: changes, withdrawals: withdrawals)
    }

    struct Reason: Error { let text: String }

    /// The withdrawal a standing retraction makes, or `nil` when none stands or the article is
    /// still under embargo and was never published (a notice would reveal it before its day).
    static func withdrawal(_ facts: ArticleFacts, _ status: ArticleStatus, _ configuration: WorkflowConfiguration, page: String,
                           wasPublished: Bool) -> Withdrawal? {
        guard let r = status.retraction else { return nil }
        let retracted = r.revision == facts.blob ? facts.article : facts.revisions[r.revision]?.article ?? facts.article
        let embargoed = [retracted.publishOn, facts.article.publishOn].contains { $0.map { configuration.asOf < $0 } ?? false }
        if embargoed, !wasPublished { return nil }
        return Withdrawal(path: status.path, slug: page, title: retracted.title ?? facts.article.title ?? status.slug,
                          category: retracted.category ?? facts.article.category ?? "", date: r.date, reason: r.reason,
                          reviewerName: r.reviewerName ?? r.reviewer, credentials: r.credentials ?? "", role: r.role, revision: r.revision)
    }

    /// Why an article's approved revision is not public on `asOf`: before its `publish-on`
    /// (embargoed), or on or after its `unpublish-on`. Days are UTC, as `--as-of` is.
    public static func schedule(_ article: Article, asOf: Day) -> String? {
        if let on = article.publishOn, asOf < on { return "embargoed until \(on) (publish-on)" }
        if let off = article.unpublishOn, asOf >= off { return "unpublished on \(off) (unpublish-on)" }
        return nil
    }

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
        if let scheduled = schedule(article, asOf: configuration.asOf) { return .failure(Reason(text: scheduled)) }
        let due = reviewed.adding(days: category.reviewIntervalDays)
        let overdue = configuration.asOf > due
        if overdue, category.whenOverdue == .unpublish {
            return .failure(Reason(text: "review overdue since \(due) (when-overdue: unpublish)"))
        }
        // The page must carry every block of the approved text (issue 17): checked on the
        // renderer's own output before anything is published.
        // (An include line becomes its fragment's text on the page: docs/fragments.md.)
        let document = MarkdownParser.parse(IncludeScanner.withoutIncludeLines(article.body, syntaxes: configuration.policy.fragments.syntaxes))
        if let lost = RenderIntegrity.problems(document, html: MarkdownHTML.render(document, links: SiteLinks(articlePath: status.path, content: configuration.policy.content)),
                                               firstLine: article.bodyFirstLine).first {
            return .failure(Reason(text: "render-integrity: \(lost.message)"))
        }
        var disclaimers: [PublishedManifest.Disclaimer] = []
        for id in category.disclaimers {
            guard let text = configuration.disclaimers[id] else { continue }
            if DisclaimerMatcher.match(text, in: article.body, bodyFirstLine: article.bodyFirstLine) == .present,
               DisclaimerMatcher.isVisible(text, in: article, paragraphs: configuration.disclaimerParagraphs[id]) {
                disclaimers.append(.init(id: id, text: text))
            } else if let older = configuration.disclaimerHistory[id]?.first(where: {
                DisclaimerMatcher.match($0, in: article.body, bodyFirstLine: article.bodyFirstLine) == .present
                    && DisclaimerMatcher.isVisible($0, in: article)
            }) {
                // Reviewed with an earlier wording: the page shows the current one in its place.
                disclaimers.append(.init(id: id, text: text, replaces: older))
            } else {
                return .failure(Reason(text: "the approved revision lacks the '\(id)' disclaimer"))
            }
        }
        // Each required role's own review of this text, with its own date (not every approval),
        // in the policy's role order.
        let order = configuration.policy.roles
        let approvals = status.reviews.sorted { (order.firstIndex(of: $0.role) ?? .max) < (order.firstIndex(of: $1.role) ?? .max) }
        // The page name: the slug, or where slugs repeat across folders, a name from the path.
        return .success(Entry(path: status.path, slug: configuration.policy.content.pageName(of: status.path), blob: blob, title: title, category: category.name,
                              lastUpdated: article.lastUpdated, lastReviewed: reviewed, nextReviewDue: due,
                              approvals: approvals, newerEditWaiting: blob != facts.blob, overdueSince: overdue ? due : nil,
                              summary: article.summary, disclaimers: disclaimers,
                              linkedFiles: SiteLinks.assetPaths(of: article), authors: article.authors,
                              translatedFrom: status.translation.map { t in
                                  // The basis is known for the current revision; an older published one says no date.
                                  PublishedManifest.TranslatedFrom(source: t.source, language: configuration.policy.translations.sourceLanguage,
                                                                   reviewed: blob == facts.blob ? t.basisReviewed : nil)
                              },
                              changeNotes: changeNotes(status.approvals, upTo: Set([blob] + status.reviews.map(\.revision)))))
    }

    /// How many previously published articles this plan takes down (a moved article, same
    /// slug, is not taken down).
    public var removals: Int {
        let kept = Set(entries.map(\.slug))
        return changes.filter { change in
            if case .removed(let path, _) = change { return !kept.contains(Slug.of(path.text)) }
            return false
        }.count
    }

    /// Why this plan takes down more of the `previous` published articles than the policy
    /// allows in one run (`nil` when it does not): at most `percent` of them, and always one.
    public func removalRefusal(previousCount: Int, percent: Int) -> String? {
        let allowed = max(1, previousCount * percent / 100)
        guard removals > allowed else { return nil }
        return "this would take down \(removals) of \(previousCount) published articles; the policy allows \(allowed) "
            + "(max-unpublish-percent: \(percent)); see the list with --dry-run --list, fix what holds them back, or run again with --allow-removals"
    }

    /// One line of counts: "12 published: 2 added, 1 updated, 0 removed; 3 held back; 1 overdue (shown with a notice)".
    public var countsLine: String {
        var added = 0, updated = 0, unchanged = 0, removed = 0, held = 0, withdrawn = 0
        for change in changes {
            switch change {
            case .added: added += 1
            case .updated: updated += 1
            case .unchanged: unchanged += 1
            case .removed: removed += 1
            case .heldBack: held += 1
            case .withdrawn: withdrawn += 1
            }
        }
        let overdue = entries.filter { $0.overdueSince != nil }.count
        return "\(entries.count) article\(entries.count == 1 ? "" : "s") to publish: \(added) added, \(updated) updated, "
            + "\(unchanged) unchanged, \(removed) taken down; \(held) held back"
            + (withdrawn > 0 ? "; \(withdrawn) withdrawn by retraction" : "")
            + (overdue > 0 ? "; \(overdue) overdue, shown with a notice" : "")
    }

    /// Lines for `--dry-run` and for the commit message.
    public var summaryLines: [String] {
        changes.compactMap { change in
            switch change {
            case .added(let e): "add      \(e.path) at \(e.blob.prefix(7))" + (e.newerEditWaiting ? " (a newer edit awaits review)" : "")
                + (e.overdueSince.map { " (review overdue since \($0): shown with a notice)" } ?? "")
            case .updated(let e, let old): "update   \(e.path) \(old.prefix(7)) → \(e.blob.prefix(7))"
                + (e.overdueSince.map { " (review overdue since \($0): shown with a notice)" } ?? "")
            case .unchanged(let e) where e.overdueSince != nil: "overdue  \(e.path): review overdue since \(e.overdueSince!), shown with a notice"
            case .unchanged: nil
            case .removed(let path, let reason): "remove   \(path): \(reason)"
            case .heldBack(let path, let reason): "hold     \(path): \(reason)"
            case .withdrawn(let w, let wasPublished):
                // Every verb fills the same nine columns, so the paths line up under each other.
                (wasPublished ? "withdraw \(w.path): " : "withheld \(w.path) (withdrawn, kept down): ")
                    + "retracted on \(w.date) by \(w.reviewerName) (\(w.role)): \(w.reason)"
            }
        }
    }
}
