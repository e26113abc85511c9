import Paths

/// `review check --format github`: GitHub Actions workflow commands that annotate files.
///
/// GitHub shows at most 10 error and 10 warning annotations per step (50 per job), so errors
/// come first, then warnings, each capped at 10; the findings past the caps follow as plain log
/// lines, and a last line gives the counts. Messages escape `%`, CR and LF; properties also escape `:` and `,`.
public enum GitHubReporter: Reporter {
    static let perSeverityLimit = 10

    public static func render(_ report: StatusReport) -> String {
        // Each finding with the title of the article it is reported under, if any.
        let titled = (report.articles.flatMap { status in status.findings.map { ($0, status.title ?? status.slug) } }
            + report.otherFindings.map { ($0, nil as String?) }).sorted { $0.0 < $1.0 }
        let findings = titled.map(\.0)
        let errors = titled.filter { $0.0.severity == .error }
        let warnings = titled.filter { $0.0.severity == .warning }
        var out = ""
        for (finding, title) in errors.prefix(perSeverityLimit) + warnings.prefix(perSeverityLimit) {
            var properties = ["file=\(escapeProperty(TerminalSafe.cleanLines(finding.path.text, keepingCarriageReturns: true)))"]
            if let line = finding.line { properties.append("line=\(line)") }
            properties.append("title=\(escapeProperty(TerminalSafe.cleanLines(finding.rule.rawValue + (title.map { ": \($0)" } ?? ""), keepingCarriageReturns: true)))")
            out += "::\(finding.severity == .error ? "error" : "warning") \(properties.joined(separator: ","))::"
                + "\(escapeData(TerminalSafe.cleanLines(finding.message, keepingCarriageReturns: true)))\n"
        }
        let shown = min(errors.count, perSeverityLimit) + min(warnings.count, perSeverityLimit)
        let left = findings.count - shown
        if left > 0 {
            // The rest as plain log lines (never workflow commands), so none is lost.
            out += "review: \(left) more finding\(left == 1 ? "" : "s") past GitHub's 10 error and 10 warning annotations per step:\n"
            for (finding, _) in errors.dropFirst(perSeverityLimit) + warnings.dropFirst(perSeverityLimit) {
                out += TerminalSafe.withoutWorkflowCommands(finding.textLine) + "\n"
            }
        }
        out += "review: \(errors.count) error\(errors.count == 1 ? "" : "s"), \(warnings.count) warning\(warnings.count == 1 ? "" : "s")\n"
        return out
    }

    /// A message: `%`, CR and LF escaped (actions/toolkit `escapeData`).
    public static func escapeData(_ text: String) -> String {
        text.replacingAll(["%": "%25", "\r": "%0D", "\n": "%0A"])
    }

    /// A property value: also `:` and `,` (actions/toolkit `escapeProperty`).
    public static func escapeProperty(_ text: String) -> String {
        text.replacingAll(["%": "%25", "\r": "%0D", "\n": "%0A", ":": "%3A", ",": "%2C"])
    }
}

extension String {
    /// Replaces each listed scalar in one pass (scalars, not characters: CR LF is one
    /// `Character` but two scalars to escape).
    func replacingAll(_ table: [Unicode.Scalar: String]) -> String {
        var out = ""
        for scalar in unicodeScalars {
            if let replacement = table[scalar] { out += replacement } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
