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

/// A finding as the contract's JSON shows it.
struct FindingJSON: Encodable {
    let finding: Finding
    /// The article the finding is reported under (a record's findings name the record too).
    let article: String?

    enum CodingKeys: String, CodingKey { case rule, severity, message, line }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(finding.rule.rawValue, forKey: .rule)
        try c.encode(finding.severity.rawValue, forKey: .severity)
        let message = article == nil || article == finding.path ? finding.message : "\(finding.path): \(finding.message)"
        try c.encode(message, forKey: .message)
        try c.encode(finding.line, forKey: .line)
    }
}

/// `review status --format json`: exactly the contract's fields; unknown values are `null`.
public enum StatusJSONReporter: Reporter {
    struct Article: Encodable {
        let status: ArticleStatus

        enum CodingKeys: String, CodingKey {
            case slug, path, title, category, state, freshness, lastUpdated, lastChanged, lastChangedCommit, lastChangedBy,
                 lastReviewed, nextReviewDue, revision, approvals, missingRoles, findings
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(status.slug, forKey: .slug)
            try c.encode(status.path, forKey: .path)
            try c.encode(status.title, forKey: .title)
            try c.encode(status.category, forKey: .category)
            try c.encode(status.state.rawValue, forKey: .state)
            try c.encode(status.freshness.rawValue, forKey: .freshness)
            try c.encode(status.lastUpdated, forKey: .lastUpdated)
            try c.encode(status.lastChanged, forKey: .lastChanged)
            try c.encode(status.lastChangedCommit, forKey: .lastChangedCommit)
            try c.encode(status.lastChangedBy, forKey: .lastChangedBy)
            try c.encode(status.lastReviewed, forKey: .lastReviewed)
            try c.encode(status.nextReviewDue, forKey: .nextReviewDue)
            try c.encode(status.revision, forKey: .revision)
            try c.encode(status.approvals, forKey: .approvals)
            try c.encode(status.missingRoles, forKey: .missingRoles)
            try c.encode(status.findings.map { FindingJSON(finding: $0, article: status.path) }, forKey: .findings)
        }
    }

    struct Document: Encodable {
        let asOf: Day
        let head: String
        let articles: [Article]
        let summary: [String: Int]
    }

    public static func render(_ report: StatusReport) -> String {
        JSONOutput.encode(Document(asOf: report.asOf, head: report.head, articles: report.articles.map(Article.init), summary: report.summary))
    }
}

/// `review check --format json`: every finding with its file, plus counts.
public enum CheckJSONReporter: Reporter {
    struct Item: Encodable {
        let rule: String, severity: String, path: String, line: Int?, message: String
        enum CodingKeys: String, CodingKey { case rule, severity, path, line, message }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(rule, forKey: .rule)
            try c.encode(severity, forKey: .severity)
            try c.encode(path, forKey: .path)
            try c.encode(line, forKey: .line)
            try c.encode(message, forKey: .message)
        }
    }

    struct Document: Encodable {
        let asOf: Day
        let head: String
        let articles: Int
        let errors: Int
        let warnings: Int
        let findings: [Item]
    }

    public static func render(_ report: StatusReport) -> String {
        let findings = report.allFindings
        let errors = findings.filter { $0.severity == .error }.count
        return JSONOutput.encode(Document(
            asOf: report.asOf, head: report.head, articles: report.articles.count, errors: errors,
            warnings: findings.count - errors,
            findings: findings.map { Item(rule: $0.rule.rawValue, severity: $0.severity.rawValue, path: $0.path, line: $0.line, message: $0.message) }))
    }
}
