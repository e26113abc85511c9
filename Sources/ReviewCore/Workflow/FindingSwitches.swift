import Paths

/// The findings of one article that the team's switches silenced, each kept and counted: a
/// finding never disappears silently.
public struct SuppressedFindings: Sendable, Equatable {
    /// Content rules set to `off` by the policy's `rules:` (or its category's).
    public var byPolicy: [Finding] = []
    /// Silenced by a `<!-- review-ignore … -->` comment in the article.
    public var byComment: [Finding] = []
    /// Accepted in the baseline (``AcceptedFindings``).
    public var inBaseline: [Finding] = []

    public init() {}

    public var isEmpty: Bool { byPolicy.isEmpty && byComment.isEmpty && inBaseline.isEmpty }

    /// The counts, for reports: `policy`, `comments` and `baseline`.
    public var counts: SuppressedCounts {
        SuppressedCounts(policy: byPolicy.count, comments: byComment.count, baseline: inBaseline.count)
    }
}

/// How many findings were silenced, and how (``SuppressedFindings``).
public struct SuppressedCounts: Sendable, Equatable {
    public var policy = 0
    public var comments = 0
    public var baseline = 0

    public init(policy: Int = 0, comments: Int = 0, baseline: Int = 0) {
        self.policy = policy
        self.comments = comments
        self.baseline = baseline
    }

    public var total: Int { policy + comments + baseline }

    public static func + (a: SuppressedCounts, b: SuppressedCounts) -> SuppressedCounts {
        SuppressedCounts(policy: a.policy + b.policy, comments: a.comments + b.comments, baseline: a.baseline + b.baseline)
    }

    /// "2 findings switched off by policy, 1 suppressed in articles, 3 in the baseline".
    public var sentence: String {
        "\(policy) finding\(policy == 1 ? "" : "s") switched off by policy, \(comments) suppressed in articles, \(baseline) in the baseline"
    }
}

/// The team's switches over content rules, applied to one article's findings in this order:
/// the level the policy sets (`off` silences; `warning` and `error` set the severity), then the
/// article's suppression comments (where the policy's `suppressible:` allows them), then the
/// accepted-findings baseline. Fixed rules (the contract's, the record's, governance's) pass
/// through untouched, except for a category's `unapproved-blocks`. Pure.
public enum FindingSwitches {
    /// - Returns: the findings to report (with any finding about a comment the policy does not
    ///   allow), and those silenced.
    public static func apply(_ findings: [Finding], article: Article, category: Policy.Category?, policy: Policy,
                             accepted: AcceptedFindings) -> (shown: [Finding], suppressed: SuppressedFindings) {
        var suppressed = SuppressedFindings()
        var shown: [Finding] = []
        shown.reserveCapacity(findings.count)
        // The category's switches, read once (each read retained objects every core shares).
        let severities = category?.ruleSeverity ?? [:], switchedOff = category?.switchedOff ?? []
        for var finding in findings {
            if finding.rule.isContent, let level = policy.level(of: finding.rule, severities: severities, switchedOff: switchedOff) {
                guard let severity = level.severity else {
                    suppressed.byPolicy.append(finding)
                    continue
                }
                finding.severityOverride = severity
            } else if let severity = severities[finding.rule] {
                // `unapproved-blocks` (awaiting-review and changes-requested as errors).
                finding.severityOverride = severity
            }
            shown.append(finding)
        }
        if !article.suppressions.isEmpty {
            var kept: [Finding] = []
            var comments: [Suppression] = []
            for comment in article.suppressions {
                if let refused = comment.rules.first(where: { !policy.isSuppressible($0) }) {
                    let allowed = policy.suppressible.map { $0.isEmpty ? "none" : $0.map(\.rawValue).sorted().joined(separator: ", ") } ?? ""
                    kept.append(Finding(.invalidSuppression, path: article.path, line: comment.line,
                                        "the policy does not let comments silence '\(refused.rawValue)' (suppressible: \(allowed)), so this comment silences nothing; fix what it reports and remove the comment"))
                } else {
                    comments.append(comment)
                }
            }
            for finding in shown {
                if finding.rule.isContent, comments.contains(where: { $0.silences(finding) }) {
                    suppressed.byComment.append(finding)
                } else {
                    kept.append(finding)
                }
            }
            shown = kept
        }
        if !accepted.isEmpty {
            let (beyond, inBaseline) = accepted.split(shown.sorted(), at: article.path)
            shown = beyond
            suppressed.inBaseline = inBaseline
        }
        return (shown, suppressed)
    }
}
