import Paths
import SystemCrypto

/// `review check --format codequality`: GitLab Code Quality (a subset of the Code Climate
/// issue format), shown inline in merge requests. Each finding's fingerprint is the SHA-256 of
/// its rule, file and message (not its line), so the same finding keeps its fingerprint when
/// lines above it move, and GitLab tells new findings from fixed ones.
public enum CodeQualityReporter: Reporter {
    public static func render(_ report: StatusReport) -> String {
        var seen: [String: Int] = [:]
        let issues = report.allFindings.map { finding -> JSONValue in
            var fingerprint = SignOff.sha256Hex(Array("\(finding.rule.rawValue)\u{0}\(finding.path)\u{0}\(finding.message)".utf8))
            // Two identical findings in one file (a repeated block twice): numbered, still stable.
            let n = seen[fingerprint, default: 0]
            seen[fingerprint] = n + 1
            if n > 0 { fingerprint = SignOff.sha256Hex(Array("\(fingerprint)\u{0}\(n)".utf8)) }
            return .object([
                ("description", .string(finding.message)),
                ("check_name", .string(finding.rule.rawValue)),
                ("fingerprint", .string(fingerprint)),
                ("severity", .string(finding.severity == .error ? "critical" : "minor")),
                ("location", .object([("path", .string(finding.path.text)), ("lines", .object([("begin", .int(finding.line ?? 1))]))])),
            ])
        }
        return JSONValue.array(issues).rendered
    }
}
