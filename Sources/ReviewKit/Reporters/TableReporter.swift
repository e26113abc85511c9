/// `review status --format table`: aligned columns for a terminal, then a summary line.
public enum TableReporter {
    public static func render(_ report: StatusReport) -> String {
        let header = ["ARTICLE", "TITLE", "CATEGORY", "LAST CHANGED", "COMMIT", "BY", "FINDINGS"]
        let rows = report.articles.map { entry in
            [
                entry.slug,
                truncate(entry.title ?? "(no title)", to: 48),
                entry.category ?? "-",
                entry.lastChanged?.description ?? "unknown",
                entry.lastChangedCommit.map { String($0.prefix(7)) } ?? "-",
                entry.lastChangedBy ?? "-",
                entry.findings.isEmpty ? "-" : "\(entry.findings.count)",
            ]
        }
        var out = align([header] + rows)
        let findingCount = report.articles.reduce(0) { $0 + $1.findings.count }
        out += "\n\(report.articles.count) article\(report.articles.count == 1 ? "" : "s"), "
            + "\(findingCount) finding\(findingCount == 1 ? "" : "s"), as of \(report.asOf), at \(report.head.prefix(7))\n"
        return out
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

    static func truncate(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}
