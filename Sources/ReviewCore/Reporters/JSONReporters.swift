import Foundation

/// JSON with sorted keys and explicit `null`s, from `Encodable` values.
enum JSONOutput {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain value types cannot fail.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// A finding as the contract's JSON shows it, reported under `article` (a record's findings
/// name the record too).
func findingJSON(_ finding: Finding, article: String?) -> JSONValue {
    let message = article == nil || article == finding.path ? finding.message : "\(finding.path): \(finding.message)"
    return .object([("line", .int(finding.line)), ("message", .string(message)), ("rule", .string(finding.rule.rawValue)),
                    ("severity", .string(finding.severity.rawValue))])
}

/// `review status --format json`: exactly the contract's fields; unknown values are `null`.
public enum StatusJSONReporter: Reporter {
    /// Members listed in key order, so writing them needs no sort.
    static func article(_ status: ArticleStatus) -> JSONValue {
        .object([
            ("approvals", .array(status.approvals.map(approval))), ("category", .string(status.category)),
            ("findings", .array(status.findings.map { findingJSON($0, article: status.path) })),
            ("freshness", .string(status.freshness.rawValue)), ("lastChanged", .string(status.lastChanged?.description)),
            ("lastChangedBy", .string(status.lastChangedBy)), ("lastChangedCommit", .string(status.lastChangedCommit)),
            ("lastReviewed", .string(status.lastReviewed?.description)), ("lastUpdated", .string(status.lastUpdated?.description)),
            ("missingRoles", .array(status.missingRoles.map { .string($0) })),
            ("nextReviewDue", .string(status.nextReviewDue?.description)), ("path", .string(status.path)),
            ("revision", .string(status.revision)), ("slug", .string(status.slug)), ("state", .string(status.state.rawValue)),
            ("title", .string(status.title)),
        ])
    }

    static func approval(_ approval: Approval) -> JSONValue {
        .object([("current", .bool(approval.current)), ("date", .string(approval.date.description)),
                 ("reviewer", .string(approval.reviewer)), ("revision", .string(approval.revision)), ("role", .string(approval.role))])
    }

    public static func render(_ report: StatusReport) -> String {
        render(report) { articles, write in articles.map(write) }
    }

    /// The same text, with each article written by `map` (which a caller may spread over
    /// cores: every article's object is written apart, then they are joined in order).
    public static func render(_ report: StatusReport,
                              map: ([ArticleStatus], @Sendable (ArticleStatus) -> [UInt8]) -> [[UInt8]]) -> String {
        // The articles are elements of an array that is the top object's member: indent 4.
        let articles = map(report.articles) { article($0).fragment(indent: 4) }
        return JSONValue.object([
            ("asOf", .string(report.asOf.description)), ("head", .string(report.head)),
            ("articles", .array(articles.map { .written($0) })),
            ("summary", .object(report.summary.map { ($0.key, .int($0.value)) })),
            // Added by the project: findings about no single article (governance, stray records).
            ("repositoryFindings", .array(report.otherFindings.map(fileFindingJSON))),
        ]).rendered
    }
}

/// A finding with its file, as `check --format json` lists it.
func fileFindingJSON(_ finding: Finding) -> JSONValue {
    .object([("rule", .string(finding.rule.rawValue)), ("severity", .string(finding.severity.rawValue)),
             ("path", .string(finding.path)), ("line", .int(finding.line)), ("message", .string(finding.message))])
}

/// `review check --format json`: every finding with its file, plus counts.
public enum CheckJSONReporter: Reporter {
    public static func render(_ report: StatusReport) -> String {
        let findings = report.allFindings
        let errors = findings.filter { $0.severity == .error }.count
        return JSONValue.object([
            ("asOf", .string(report.asOf.description)), ("head", .string(report.head)),
            ("articles", .int(report.articles.count)), ("errors", .int(errors)), ("warnings", .int(findings.count - errors)),
            ("findings", .array(findings.map(fileFindingJSON))),
        ]).rendered
    }
}
