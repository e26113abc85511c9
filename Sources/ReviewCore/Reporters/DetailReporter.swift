import Paths
import Foundation
/// `review status ARTICLE`: everything about one article, for an editor.
public enum DetailReporter {
    /// - Parameter changeSummary: what changed since the last approved revision, in words.
    public static func render(_ status: ArticleStatus, asOf: Day, changeSummary: String) -> String {
        var lines: [String] = []
        let safe = TerminalSafe.clean
        lines.append("\(safe(status.slug)): \(safe(status.title ?? "(no title)"))")
        func row(_ label: String, _ value: String) { lines.append("  " + label.padding(toLength: 16, withPad: " ", startingAt: 0) + safe(value)) }
        row("path", status.path.text)
        row("category", status.category ?? "-")
        row("state", (status.isRetired ? "retired, " : "") + "\(status.state.rawValue), \(status.freshness.rawValue) as of \(asOf)")
        row("revision", String(status.revision.prefix(7)))
        row("last updated", status.lastUpdated?.description ?? "-")
        row("last changed", status.lastChanged.map { "\($0) by \(status.lastChangedBy ?? "?") in \(status.lastChangedCommit?.prefix(7) ?? "?")" } ?? "unknown")
        row("last reviewed", status.lastReviewed?.description ?? "never")
        row("next review", status.nextReviewDue?.description ?? "-")
        row("missing roles", status.missingRoles.isEmpty ? "none" : status.missingRoles.joined(separator: ", "))
        row("since approval", changeSummary)
        if let t = status.translation {
            // Issue 37: the source, the revision it was made from and where that was read, and whether it is behind.
            let basis = t.basis.map { "\($0.prefix(7)) (\(t.basisFrom?.rawValue ?? "?"))" } ?? "unknown"
            let standing = t.outdated ? "behind: source approved " + (t.sourceReviewed?.description ?? "since")
                : t.sourceApproved == nil ? "source never approved" : "current"
            row("translation of", "\(t.source.text) (\(t.language.isEmpty ? "?" : t.language)), made from \(basis); \(standing)")
        }
        // Every decision that counts, newest first: approvals and change requests alike (a
        // request answered by a later approval is history, and stays in it).
        lines.append("  decisions")
        let decisions = (status.approvals.map { ($0, "approved") } + status.changeRequests.map { ($0, "requested changes") })
            .enumerated().sorted { ($0.element.0.date, $0.offset) > ($1.element.0.date, $1.offset) }.map(\.element)
        if decisions.isEmpty { lines.append("    none") }
        for (a, what) in decisions {
            let who = safe(a.reviewerName.map { "\($0)" + (a.credentials.map { $0.isEmpty ? "" : ", \($0)" } ?? "") } ?? a.reviewer)
            lines.append("    \(a.date)  \(a.role.padding(toLength: 10, withPad: " ", startingAt: 0))  \(what.padding(toLength: 17, withPad: " ", startingAt: 0))  \(who)  revision \(a.revision.prefix(7))  "
                         + (a.current ? "current" : "earlier revision") + (a.comment.isEmpty ? "" : "  \"\(safe(a.comment))\""))
        }
        lines.append("  findings")
        if status.findings.isEmpty { lines.append("    none") }
        for f in status.findings { lines.append("    " + f.textLine) }
        // What the team's switches silenced, each with how, so nothing disappears unseen.
        let silenced = [("switched off by policy", status.suppressed.byPolicy), ("suppressed in the article", status.suppressed.byComment),
                        ("in the baseline", status.suppressed.inBaseline)]
        for (how, findings) in silenced where !findings.isEmpty {
            lines.append("  \(how)")
            for f in findings.sorted() { lines.append("    " + f.textLine) }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
