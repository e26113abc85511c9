import Paths

/// `review check --format junit`: one test case per article, one failure per blocking finding;
/// warnings go to the test case's `system-out`. Findings outside articles form a test case of
/// their own.
public enum JUnitReporter: Reporter {
    public static func render(_ report: StatusReport) -> String {
        var cases: [(name: String, classname: String, file: String, findings: [Finding])] = report.articles.map {
            ($0.slug, className(for: $0.path.text), $0.path.text, $0.findings)
        }
        if !report.otherFindings.isEmpty {
            cases.append(("(repository)", "review", "", report.otherFindings))
        }
        let failures = cases.reduce(0) { $0 + $1.findings.filter { $0.severity == .error }.count }
        let failedCases = cases.filter { $0.findings.contains { $0.severity == .error } }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"review\" tests=\"\(cases.count)\" failures=\"\(failedCases)\" errors=\"0\">\n"
        out += "  <testsuite name=\"review check\" tests=\"\(cases.count)\" failures=\"\(failedCases)\" errors=\"0\" skipped=\"0\" "
            + "timestamp=\"\(report.asOf)T00:00:00\">\n"
        out += "    <properties><property name=\"head\" value=\"\(report.head)\"/><property name=\"findings\" value=\"\(failures)\"/></properties>\n"
        for testCase in cases {
            let attributes = "classname=\"\(XMLEscaping.escape(testCase.classname))\" name=\"\(XMLEscaping.escape(testCase.name))\""
                + (testCase.file.isEmpty ? "" : " file=\"\(XMLEscaping.escape(testCase.file))\"")
            guard !testCase.findings.isEmpty else {
                out += "    <testcase \(attributes)/>\n"
                continue
            }
            out += "    <testcase \(attributes)>\n"
            for finding in testCase.findings where finding.severity == .error {
                out += "      <failure type=\"\(finding.rule.rawValue)\" message=\"\(XMLEscaping.escape(finding.message))\">"
                    + XMLEscaping.escape("\(finding.location): \(finding.message) [\(finding.rule.rawValue)]") + "</failure>\n"
            }
            let warnings = testCase.findings.filter { $0.severity == .warning }
            if !warnings.isEmpty {
                let text = warnings.map { "\($0.location): warning: \($0.message) [\($0.rule.rawValue)]" }.joined(separator: "\n")
                out += "      <system-out>\(XMLEscaping.escape(text))</system-out>\n"
            }
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// `Articles/neurology/pml.md` → `Articles.neurology`, so CI servers group by section.
    static func className(for path: String) -> String {
        path.split(separator: "/").dropLast().joined(separator: ".")
    }
}

/// `review check --format checkstyle`: the Checkstyle XML that SwiftLint and others emit.
public enum CheckstyleReporter: Reporter {
    public static func render(_ report: StatusReport) -> String {
        let byFile = Dictionary(grouping: report.allFindings, by: \.path)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n"
        for path in byFile.keys.sorted() {
            out += "<file name=\"\(XMLEscaping.escape(path.text))\">\n"
            for finding in byFile[path]! {
                out += "<error line=\"\(finding.line ?? 1)\" column=\"1\" severity=\"\(finding.severity.rawValue)\" "
                    + "message=\"\(XMLEscaping.escape(finding.message))\" source=\"review.rules.\(finding.rule.rawValue)\"/>\n"
            }
            out += "</file>\n"
        }
        out += "</checkstyle>\n"
        return out
    }
}
