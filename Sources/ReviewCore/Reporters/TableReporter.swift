import Paths

/// `review status --format table`: aligned columns for a terminal, then a summary line.
public enum TableReporter: Reporter {
    public static func render(_ report: StatusReport) -> String {
        let header = ["ARTICLE", "STATE", "FRESHNESS", "NEXT DUE", "LAST CHANGED", "BY", "FINDINGS"]
        // Where two articles share a slug (or slugs that read alike), the row names the path,
        // escaped so that paths differing only in normalization read apart.
        var bySlug: [String: Int] = [:]
        for status in report.articles { bySlug[status.slug, default: 0] += 1 }
        let rows = report.articles.map { status in
            [
                bySlug[status.slug, default: 0] > 1 ? status.path.escaped : status.slug,
                status.isRetired ? "retired" : status.state.rawValue,
                status.freshness.rawValue,
                status.nextReviewDue?.description ?? "-",
                status.lastChanged.map { "\($0) \(status.lastChangedCommit?.prefix(7) ?? "")" } ?? "unknown",
                status.lastChangedBy ?? "-",
                findingSummary(status.findings),
            ]
        }
        var out = align([header] + rows.map { $0.map(TerminalSafe.clean) })
        for finding in report.otherFindings { out += finding.textLine + "\n" }
        out += "\n" + summaryLine(report) + "\n"
        let suppressed = report.suppressed
        if suppressed.total > 0 { out += "Not shown: \(suppressed.sentence).\n" }
        return out
    }

    /// "6 articles: 1 published, 1 approved, … · 1 overdue, 0 due soon · 2 blocking findings, as of …"
    public static func summaryLine(_ report: StatusReport) -> String {
        let summary = report.summary
        let n = report.articles.count
        let states = ReviewState.allCases.map { "\(summary[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        let blocking = summary["blocking"] ?? 0
        return "\(n) article\(n == 1 ? "" : "s"): \(states) · \(summary["overdue"] ?? 0) overdue, \(summary["dueSoon"] ?? 0) due soon · "
            + "\(blocking) blocking finding\(blocking == 1 ? "" : "s") · as of \(report.asOf) at \(report.head.prefix(7))"
    }

    static func findingSummary(_ findings: [Finding]) -> String {
        guard !findings.isEmpty else { return "-" }
        let errors = findings.filter { $0.severity == .error }.count
        let rules = Array(Set(findings.map(\.rule.rawValue))).sorted().joined(separator: ",")
        return "\(errors)E \(findings.count - errors)W \(rules)"
    }

    /// Pads each column to its widest cell (counting characters), two spaces between columns.
    static func align(_ rows: [[String]]) -> String {
        guard let columns = rows.first?.count else { return "" }
        let widths = (0..<columns).map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { c, cell in
                c == columns - 1 ? cell : cell + String(repeating: " ", count: widths[c] - cell.count)
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
