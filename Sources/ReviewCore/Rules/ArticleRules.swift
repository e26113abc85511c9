import Paths

/// `invalid-front-matter`: what the article parser found wrong (missing `---`, bad YAML,
/// impossible dates, duplicate keys, an invalid slug…).
public enum InvalidFrontMatterRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.invalidFrontMatter], summary: "The article's front matter or file name is broken.",
        rationale: "Without a readable title, date and category nothing else about the article can be checked.")

    public static func check(_ context: ArticleContext) -> [Finding] {
        context.facts.parseFindings.filter { $0.rule == .invalidFrontMatter }
    }
}

/// Reports the structure rules' findings, which the parse computed (and the article cache
/// keeps); each structure rule describes itself (``StructureRules``).
public enum StructureFindingsRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [], summary: "Reports the structure rules' findings from the parse.", rationale: "See each structure rule.")

    /// The rules whose findings the parse made (worked out once, not for every article).
    private static let ids = Set(StructureRules.all.flatMap { $0.description.ids } + HiddenCharacterRule.description.ids + BrokenLinkRule.description.ids
                                 + LinkCaseRule.description.ids + RenderIntegrity.description.ids + SuppressionComments.description.ids)

    public static func check(_ context: ArticleContext) -> [Finding] {
        context.facts.parseFindings.filter { ids.contains($0.rule) }
    }
}

/// `unknown-category`: the category is not in the policy.
public enum UnknownCategoryRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.unknownCategory], summary: "The article's category is not defined in Reviews/policy.yml.",
        rationale: "The category decides the required sign-offs, the review interval and the disclaimers.")

    public static func check(_ context: ArticleContext) -> [Finding] {
        guard let name = context.article.category, context.category == nil else { return [] }
        let known = context.configuration.policy.categories.keys.sorted().joined(separator: ", ")
        return [Finding(.unknownCategory, path: context.path, line: context.article.line(of: context.configuration.policy.frontMatter.category ?? "category"),
                        "category '\(name)' is not in \(Policy.path) (known: \(known))")]
    }
}

/// `future-last-updated`: `last-updated` is after today.
public enum FutureLastUpdatedRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.futureLastUpdated], summary: "last-updated is a date in the future.",
        rationale: "Readers would be told the text is newer than it is, and the review clock would start late.")

    public static func check(_ context: ArticleContext) -> [Finding] {
        guard let date = context.article.lastUpdated, date > context.asOf else { return [] }
        return [Finding(.futureLastUpdated, path: context.path, line: context.article.line(of: context.configuration.policy.frontMatter.lastUpdated),
                        "last-updated is \(date), after today (\(context.asOf))")]
    }
}

/// `last-updated-not-bumped`: what readers see changed in a commit dated after `last-updated`.
///
/// Only a change to the text readers see counts (``ArticleFacts/textChange``, which the loader
/// finds by comparing each change with the revision before it): a change to front matter
/// outside the title and summary, to whitespace or wrapping, to punctuation or
/// letter case, or to link targets only needs no bump, and neither does the commit that created
/// the file. The finding cites the newest change that did alter the text. Writers date their
/// edit when they write it and the commit lands days later, so a change up to
/// ``toleranceDays`` after `last-updated` is not flagged; the commit's date is read both in UTC
/// and in the committer's time zone, and only when both are later is it flagged. A commit that
/// only renamed the file did not change its content. A change that reached the main line in the
/// same merge as the commit that set `last-updated` to its value was dated with it
/// (``TextChangeArrival``): readers never saw that text under an older date, however many days
/// the pull request stayed open. Where `last-updated` comes from history
/// (`last-updated-from: history`) there is nothing to bump, and a `published` date never is.
public enum LastUpdatedNotBumpedRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.lastUpdatedNotBumped], summary: "The text readers see changed after its last-updated date without bumping it.",
        rationale: "Readers rely on 'Last updated' to know how current the text is.")

    /// How many days after `last-updated` a change may land unflagged.
    public static let toleranceDays = 3

    /// Whether a change lands late enough after `date` to need a bump.
    public static func isLate(_ change: ChangeFact, after date: Day) -> Bool {
        min(change.date, change.localDate) > date.adding(days: toleranceDays)
    }

    public static func check(_ context: ArticleContext) -> [Finding] {
        let mapping = context.configuration.policy.frontMatter
        guard let date = context.article.lastUpdated, context.article.line(of: mapping.lastUpdated) != nil else { return [] }
        let change: ChangeFact
        switch context.facts.textChange {
        case .none: return []
        case .change(let found): change = found
        case .notLookedFor:
            guard let last = context.facts.lastChange, last.changedContent else { return [] }
            change = last
        }
        guard isLate(change, after: date), context.facts.textChangeArrival?.datedTogether != true else { return [] }
        return [Finding(.lastUpdatedNotBumped, path: context.path, line: context.article.line(of: mapping.lastUpdated),
                        "the text readers see changed on \(change.date) in commit \(change.commit.prefix(7)) but last-updated says \(date); set it to \(change.date) (the date of that change)")]
    }
}

/// `missing-disclaimer` and `altered-disclaimer`: each disclaimer the category requires.
public enum DisclaimerRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.missingDisclaimer, .alteredDisclaimer, .outdatedDisclaimer],
        summary: "A disclaimer the category requires is missing, present with altered wording, or in an earlier canonical wording.",
        rationale: "Medical pages must carry their disclaimers verbatim; an edited disclaimer may no longer protect readers.")

    public static func check(_ context: ArticleContext) -> [Finding] {
        guard let category = context.category else { return [] }
        return category.disclaimers.compactMap { id in
            guard let text = context.configuration.disclaimers[id] else { return nil }
            let match = DisclaimerMatcher.match(text, in: context.article.body, bodyFirstLine: context.article.bodyFirstLine)
            if match != .present, context.configuration.disclaimerHistory[id]?.contains(where: {
                DisclaimerMatcher.match($0, in: context.article.body, bodyFirstLine: context.article.bodyFirstLine) == .present
                    && DisclaimerMatcher.isVisible($0, in: context.article)
            }) == true {
                // A legal wording change is one change: approvals stay, pages show the new wording.
                return Finding(.outdatedDisclaimer, path: context.path,
                               "the '\(id)' disclaimer has an earlier wording of Reviews/disclaimers/\(id).md; pages show the current wording, and the article's next edit should take it")
            }
            switch match {
            case .present where !DisclaimerMatcher.isVisible(text, in: context.article, paragraphs: context.configuration.disclaimerParagraphs[id]):
                return Finding(.missingDisclaimer, path: context.path,
                               "the '\(id)' disclaimer is there but readers cannot see it (inside a link, heading, code, image text or HTML comment); make it a paragraph of its own")
            case .present:
                return nil
            case .altered(let line, let difference):
                return Finding(.alteredDisclaimer, path: context.path, line: line,
                               "the '\(id)' disclaimer is altered: \(difference); use the text of Reviews/disclaimers/\(id).md")
            case .missing:
                return Finding(.missingDisclaimer, path: context.path,
                               "the '\(id)' disclaimer required for \(category.name) is missing; append Reviews/disclaimers/\(id).md as the last paragraph")
            }
        }
    }
}

/// `overdue`: the next review date has passed.
public enum OverdueRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.overdue], summary: "The article's review is overdue.",
        rationale: "Medical facts change; a page past its review interval may give outdated advice.")

    public static func check(_ context: ArticleContext) -> [Finding] {
        guard !context.article.isRetired, context.outcome.freshness == .overdue, let due = context.outcome.nextReviewDue else { return [] }
        return [Finding(.overdue, path: context.path, line: context.article.line(of: context.configuration.policy.frontMatter.lastUpdated),
                        "review was due on \(due), \(due.days(until: context.asOf)) days ago")]
    }
}

/// `due-soon`: the next review date is within the category's `due-soon-days`.
public enum DueSoonRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.dueSoon], summary: "The article's review falls due soon.",
        rationale: "Scheduling the review before it is overdue keeps the page publishable.")

    public static func check(_ context: ArticleContext) -> [Finding] {
        guard !context.article.isRetired, context.outcome.freshness == .dueSoon, let due = context.outcome.nextReviewDue else { return [] }
        return [Finding(.dueSoon, path: context.path, line: context.article.line(of: context.configuration.policy.frontMatter.lastUpdated),
                        "review is due on \(due), in \(context.asOf.days(until: due)) days")]
    }
}

/// `awaiting-review`: some required role has not approved the current revision.
public enum AwaitingReviewRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.awaitingReview], summary: "The current revision still needs sign-offs.",
        rationale: "Only text approved by every required role may be published.")

    public static func check(_ context: ArticleContext) -> [Finding] {
        let state = context.outcome.state
        guard !context.article.isRetired, state == .draft || state == .inReview, !context.outcome.missingRoles.isEmpty else { return [] }
        let done = context.outcome.requiredRoles.filter { !context.outcome.missingRoles.contains($0) }
        let where_ = state == .draft ? "never reviewed" : done.isEmpty ? "changed since its last approval" : "approved as \(done.joined(separator: ", ")) only"
        return [Finding(.awaitingReview, path: context.path,
                        "\(where_); awaiting \(context.outcome.missingRoles.joined(separator: ", ")) review")]
    }
}

/// `changes-requested`: a reviewer's newest decision on this revision asks for changes.
public enum ChangesRequestedRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.changesRequested], summary: "A reviewer requested changes to the current revision.",
        rationale: "The author has work to do before the article can be approved.")

    public static func check(_ context: ArticleContext) -> [Finding] {
        context.outcome.changeRequests.map { request in
            Finding(.changesRequested, path: context.path,
                    "\(request.reviewer) (\(request.role)) requested changes on \(request.day)" + (request.comment.isEmpty ? "" : ": \(request.comment)"))
        }
    }
}

/// `retracted`: a signed retraction stands over the article.
public enum RetractedRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.retracted], summary: "A reviewer signed a retraction: the article is taken down at the next publish and its page says it was withdrawn.",
        rationale: "A dangerous page must come down at once, on a clinician's word, without editing it; it stays down until the text is fixed and approved again.")

    public static func check(_ context: ArticleContext) -> [Finding] {
        guard let r = context.outcome.retraction else { return [] }
        return [Finding(.retracted, path: context.path,
                        "retracted on \(r.date) by \(r.reviewer) (\(r.role)): \(r.reason); the next publish takes the page down and shows a withdrawal notice; "
                            + "to lift it, edit the article and have every required role approve the new revision")]
    }
}

/// `unknown-history`: history ends at a shallow clone's boundary before the article's last change.
public enum UnknownHistoryRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.unknownHistory], summary: "The article's last change lies beyond a shallow clone's history.",
        rationale: "Dates that cannot be known are reported as unknown, never guessed.")

    public static func check(_ context: ArticleContext) -> [Finding] {
        guard context.facts.historyTruncated, context.facts.lastChange == nil else { return [] }
        return [Finding(.unknownHistory, path: context.path,
                        "history ends at the shallow clone's boundary before this article's last change; fetch more history (git fetch --unshallow)")]
    }
}

/// `record-tampered`, `unreadable-record`: what the append-only record log found wrong with
/// the article's records (each such record is judged as it was committed).
public enum RecordLogRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.recordTampered, .unreadableRecord],
        summary: "A committed sign-off record was deleted, renamed, moved, edited or made unreadable.",
        rationale: "The review record is append-only: every record once committed keeps counting, so deleting an objection never clears it.")

    public static func check(_ context: ArticleContext) -> [Finding] { context.facts.recordFindings }
}

/// `history-missing`: the article has review records, but the history they need is cut off.
public enum ShallowHistoryRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.historyMissing], summary: "An article's review history lies beyond a shallow clone's boundary.",
        rationale: "Approval, order and dates all rest on history; without it the answer is a blocking finding, never a guess.")

    public static func check(_ context: ArticleContext) -> [Finding] {
        let facts = context.facts
        guard facts.historyTruncated || facts.recordHistoryTruncated, !facts.signOffs.isEmpty || !facts.recordFindings.isEmpty else { return [] }
        return [Finding(.historyMissing, path: context.path,
                        "the review history of this article is cut off by a shallow clone, so its approvals cannot be checked; \(HistoryMissingRule.remedy)")]
    }
}
