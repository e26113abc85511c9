/// `review status --format markdown`: a table and the findings, for a pull-request comment.
public enum MarkdownReporter: Reporter {
    public static func render(_ report: StatusReport) -> String {
        var out = "### Medical review status\n\n"
        out += "| Article | State | Freshness | Next review | Last reviewed | Missing roles |\n|---|---|---|---|---|---|\n"
        for a in report.articles {
            out += "| \(cell(a.title ?? a.slug)) (`\(cell(a.slug))`) | \(a.isRetired ? "retired" : a.state.rawValue) | \(a.freshness.rawValue) "
                + "| \(a.nextReviewDue?.description ?? "–") | \(a.lastReviewed?.description ?? "never") "
                + "| \(a.missingRoles.isEmpty ? "–" : a.missingRoles.joined(separator: ", ")) |\n"
        }
        let findings = report.allFindings
        if !findings.isEmpty {
            out += "\n#### Findings\n\n"
            for f in findings {
                out += "- **\(f.severity == .error ? "error" : "warning")** `\(f.rule.rawValue)` `\(cell(f.location))`: \(cell(f.message))\n"
            }
        }
        out += "\n" + TableReporter.summaryLine(report) + "\n"
        return out
    }

    /// Keeps text from breaking the table or turning into markup.
    static func cell(_ text: String) -> String {
        TerminalSafe.clean(text).replacingAll(["|": "\\|", "<": "&lt;", ">": "&gt;", "`": "'"])
    }
}
