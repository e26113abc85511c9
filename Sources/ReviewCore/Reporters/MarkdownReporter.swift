import Paths

/// `review status --format markdown`: a table and the findings, for a pull-request comment.
public enum MarkdownReporter: Reporter {
    /// GitHub's limit for a pull-request comment (characters); the report stays under it.
    public static let limit = 65_536

    /// The summary first, then the articles that need attention (blocking findings, then the
    /// rest by state), then a line saying how many more were left out to stay under ``limit``.
    public static func render(_ report: StatusReport) -> String {
        var out = "### Medical review status\n\n" + TableReporter.summaryLine(report) + "\n\n"
        let suppressed = report.suppressed
        if suppressed.total > 0 { out += "Not shown: \(suppressed.sentence).\n\n" }
        let header = "| Article | State | Freshness | Next review | Last reviewed | Missing roles |\n|---|---|---|---|---|---|\n"
        let ordered = report.articles.sorted { a, b in
            let (ea, eb) = (a.findings.contains { $0.severity == .error }, b.findings.contains { $0.severity == .error })
            return ea != eb ? ea : a.path < b.path
        }
        var rows: [String] = []
        for a in ordered {
            var row = "| \(cell(a.title ?? a.slug)) (`\(cell(a.slug))`) | \(a.isRetired ? "retired" : a.state.rawValue) | \(a.freshness.rawValue) "
                + "| \(a.nextReviewDue?.description ?? "–") | \(a.lastReviewed?.description ?? "never") "
                + "| \(a.missingRoles.isEmpty ? "–" : a.missingRoles.joined(separator: ", ")) |\n"
            for f in a.findings {
                row += "|  | **\(f.severity == .error ? "error" : "warning")** `\(f.rule.rawValue)`\(f.line.map { " line \($0)" } ?? "") | \(cell(f.message)) | | | |\n"
            }
            rows.append(row)
        }
        var other = ""
        if !report.otherFindings.isEmpty {
            other = "\n#### Repository\n\n"
            for f in report.otherFindings.prefix(20) {
                other += "- **\(f.severity == .error ? "error" : "warning")** `\(f.rule.rawValue)` `\(cell(f.location))`: \(cell(f.message))\n"
            }
            if report.otherFindings.count > 20 { other += "- and \(report.otherFindings.count - 20) more (see `review check`)\n" }
        }
        // Room for the closing line saying how many were left out.
        let budget = limit - out.utf16.count - header.utf16.count - other.utf16.count - 200
        var used = 0
        var shown = 0
        for row in rows {
            guard used + row.utf16.count <= budget else { break }
            used += row.utf16.count
            shown += 1
        }
        if !rows.isEmpty { out += header + rows.prefix(shown).joined() }
        if shown < rows.count {
            out += "\n\(rows.count - shown) more article\(rows.count - shown == 1 ? "" : "s") not shown (a comment holds \(limit) characters); run `review status` for all.\n"
        }
        return out + other
    }

    /// Keeps repository text (titles, messages, paths) from breaking the table or turning into
    /// markup in a pull-request comment: no image (a tracking pixel), link, mention
    /// (`@org/team`), issue reference, emphasis or HTML. Every Markdown punctuation character is
    /// escaped with a backslash (CommonMark's rule: any ASCII punctuation may be), `<` and `>`
    /// as entities, and a backtick becomes a quote.
    static func cell(_ text: String) -> String {
        TerminalSafe.clean(text).replacingAll(escapes)
    }

    private static let escapes: [Unicode.Scalar: String] = {
        var table: [Unicode.Scalar: String] = ["<": "&lt;", ">": "&gt;", "`": "'"]
        for character in "\\|*_{}[]()#+!~@:&" { table[character.unicodeScalars.first!] = "\\" + String(character) }
        return table
    }()
}
