import Paths

/// `review check --format text`: one compiler-style line per finding, then a summary.
public enum TextReporter: Reporter {
    public static func render(_ report: StatusReport) -> String {
        let findings = report.allFindings
        var out = findings.map { $0.textLine + "\n" }.joined()
        let errors = findings.filter { $0.severity == .error }.count
        out += "\(report.articles.count) article\(report.articles.count == 1 ? "" : "s") checked at \(report.head.prefix(7)) as of \(report.asOf): "
            + "\(errors) error\(errors == 1 ? "" : "s"), \(findings.count - errors) warning\(findings.count - errors == 1 ? "" : "s")\n"
        let suppressed = report.suppressed
        if suppressed.total > 0 { out += "Not shown: \(suppressed.sentence).\n" }
        return out
    }
}
