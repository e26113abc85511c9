import Paths

/// `translation-outdated` (issue 37): the translation's source has a newer fully approved
/// revision whose text differs from the revision the translation was made from (its basis), or
/// that basis cannot be known. A warning unless the category sets `translation-outdated: error`.
///
/// `translation-source`: the translation's source is not an article, or its front matter names
/// a basis that is no revision of the source (always an error: the claim would hide a lag).
///
/// Judged across articles (a translation against its source's approvals), after each article
/// was evaluated: ``TranslationCheck/apply(_:facts:configuration:)``.
public enum TranslationOutdatedRule {
    public static let description = RuleDescription(
        ids: [.translationOutdated, .translationSource],
        summary: "A translation whose reviewed source has moved on since it was made, or whose source or basis is unknown.",
        rationale: "Readers of a translation rely on it saying what the reviewed source says; when a dose or a warning changes in the source, each translation goes on saying the old thing until someone updates it.")

    /// The translation's standing, and its findings.
    public static func judge(_ translation: TranslationFacts, article: Article, source: (facts: ArticleFacts, status: ArticleStatus)?,
                             category: Policy.Category?, policy: Policy) -> (TranslationStatus, [Finding]) {
        let level = category?.translationOutdated ?? .warning
        let basisKey = policy.translations.basisKey
        let language = policy.translations.sourceLanguage
        func finding(_ rule: RuleID, _ message: String, severity: Severity) -> Finding {
            var f = Finding(rule, path: article.path, line: translation.line, message)
            if severity != rule.severity { f.severityOverride = severity }
            return f
        }
        var status = TranslationStatus(source: translation.source, language: translation.language, basis: translation.basis,
                                       basisFrom: translation.basisFrom, basisReviewed: nil, sourceApproved: source?.status.lastApprovedRevision,
                                       sourceReviewed: nil, outdated: false)
        guard translation.sourceExists else {
            return (status, [finding(.translationSource, "its source \(translation.source.escaped) is not an article at this revision; restore it, or fix the translation's path or its source", severity: level)])
        }
        guard let source else {
            // The source was not read this time (a partial read): nothing to judge it against.
            return (status, [])
        }
        if translation.invalidBasis {
            return (status, [finding(.translationSource, translation.basisProblem ?? "'\(basisKey)' names no revision of \(translation.source.escaped)", severity: .error)])
        }
        if let basis = translation.basis {
            status.basisReviewed = TranslationCheck.approvedDay(of: translation.sameText.union([basis]), in: source.status)
        }
        guard let approved = source.status.lastApprovedRevision else {
            // The source was never fully approved: there is no reviewed text to fall behind.
            return (status, [])
        }
        let approvedDay = TranslationCheck.approvedDay(of: [approved], in: source.status)
        status.sourceReviewed = approvedDay
        let when = approvedDay.map { " on \($0)" } ?? ""
        let remedy = "update the translation from the \(language) revision approved\(when), then set \(basisKey): \(approved)"
        guard let basis = translation.basis else {
            status.outdated = true
            let why = translation.basisProblem ?? "the revision of \(translation.source.escaped) it was made from is unknown"
            return (status, [finding(.translationOutdated, "\(why); \(remedy)", severity: level)])
        }
        if basis == approved || translation.sameText.contains(approved) { return (status, []) }
        // Newest first; a basis history does not show is older than everything it shows.
        let changes = source.facts.changes
        let approvedAt = changes.firstIndex { $0.blobAfter == approved } ?? (approved == source.facts.blob ? 0 : changes.count)
        let basisAt = changes.firstIndex { $0.blobAfter == basis } ?? (basis == source.facts.blob ? 0 : changes.count + 1)
        // Made from a revision newer than the one approved: the translation is ahead, not behind.
        guard approvedAt < basisAt else { return (status, []) }
        status.outdated = true
        let from = translation.basisFrom == .frontMatter ? "as its \(basisKey) says"
            : "the source at " + (translation.basisCommit.map { "commit \($0.prefix(7)), " } ?? "") + "the translation's last change"
        return (status, [finding(.translationOutdated,
                                 "its source \(translation.source.escaped) was approved\(when) at revision \(approved.prefix(7)), whose text differs from revision \(basis.prefix(7)) that it was translated from (\(from)); \(remedy)",
                                 severity: level)])
    }
}
