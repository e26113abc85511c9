import Paths
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

/// A finding's message as the contract's JSON shows it under `article` (a record's findings
/// name the record too).
func findingMessage(_ finding: Finding, article: GitPath?) -> String {
    article == nil || article == finding.path ? finding.message : "\(finding.path): \(finding.message)"
}

/// `review status --format json`: the contract's fields (unknown values are `null`), and the
/// project's additions: `repositoryFindings`, and `suppressed` (in all and per article: what the
/// team's switches silenced, counted by how).
public enum StatusJSONReporter: Reporter {
    /// An article's object, for documents built of values (the dashboard's).
    static func article(_ status: ArticleStatus) -> JSONValue {
        .writing { write(status, into: &$0) }
    }

    /// An article's object, written straight into bytes (a large site's status is tens of
    /// megabytes of these); members in key order, as ``JSONValue`` sorts them.
    static func write(_ status: ArticleStatus, into w: inout JSONWriter) {
        w.beginObject()
        w.key("approvals")
        w.beginArray()
        for approval in status.approvals {
            w.element()
            w.beginObject()
            w.key("current"); w.bool(approval.current)
            w.key("date"); w.string(approval.date.description)
            w.key("reviewer"); w.string(approval.reviewer)
            w.key("revision"); w.string(approval.revision)
            w.key("role"); w.string(approval.role)
            w.endObject()
        }
        w.endArray()
        w.key("category"); w.string(status.category)
        w.key("findings")
        w.beginArray()
        for finding in status.findings {
            w.element()
            w.beginObject()
            w.key("line"); if let line = finding.line { w.int(line) } else { w.null() }
            w.key("message"); w.string(findingMessage(finding, article: status.path))
            w.key("rule"); w.string(finding.rule.rawValue)
            w.key("severity"); w.string(finding.severity.rawValue)
            w.endObject()
        }
        w.endArray()
        w.key("freshness"); w.string(status.freshness.rawValue)
        w.key("lastChanged"); w.string(status.lastChanged?.description)
        w.key("lastChangedBy"); w.string(status.lastChangedBy)
        w.key("lastChangedCommit"); w.string(status.lastChangedCommit)
        w.key("lastReviewed"); w.string(status.lastReviewed?.description)
        w.key("lastUpdated"); w.string(status.lastUpdated?.description)
        w.key("missingRoles")
        w.beginArray()
        for role in status.missingRoles {
            w.element()
            w.string(role)
        }
        w.endArray()
        w.key("nextReviewDue"); w.string(status.nextReviewDue?.description)
        w.key("path"); w.string(status.path.text)
        // Added by the project (issue 38): the signed retraction that stands, or null.
        w.key("retraction")
        if let r = status.retraction {
            w.beginObject()
            w.key("date"); w.string(r.date.description)
            w.key("reason"); w.string(r.reason)
            w.key("reviewer"); w.string(r.reviewer)
            w.key("revision"); w.string(r.revision)
            w.key("role"); w.string(r.role)
            w.endObject()
        } else {
            w.null()
        }
        w.key("revision"); w.string(status.revision)
        w.key("slug"); w.string(status.slug)
        w.key("state"); w.string(status.state.rawValue)
        // Added by the project: what the team's switches silenced (counted, never dropped).
        let counts = status.suppressed.counts
        w.key("suppressed")
        w.beginObject()
        w.key("baseline"); w.int(counts.baseline)
        w.key("comments"); w.int(counts.comments)
        w.key("policy"); w.int(counts.policy)
        w.endObject()
        w.key("title"); w.string(status.title)
        // Added by the project (issue 37), for translations only: the source, the revision the
        // translation was made from and where that was read, and whether it fell behind.
        if let t = status.translation {
            w.key("translation")
            w.beginObject()
            w.key("basis"); w.string(t.basis)
            w.key("basisFrom"); w.string(t.basisFrom?.rawValue)
            w.key("basisReviewed"); w.string(t.basisReviewed?.description)
            w.key("language"); w.string(t.language)
            w.key("outdated"); w.bool(t.outdated)
            w.key("source"); w.string(t.source.text)
            w.key("sourceApproved"); w.string(t.sourceApproved)
            w.key("sourceReviewed"); w.string(t.sourceReviewed?.description)
            w.endObject()
        }
        w.endObject()
    }

    public static func render(_ report: StatusReport) -> String {
        render(report) { runs, write in runs.map(write) }
    }

    /// How many articles' objects are written into one buffer (``render(_:map:)``).
    public static let articlesPerRun = 64

    /// The same text, with the articles written by `map` a run of ``articlesPerRun`` at a time
    /// (runs of `report.articles`' indices, in order, which a caller may spread over cores:
    /// each run's objects are written into one buffer, then the runs are joined in order).
    /// A buffer per article was 14,142 arrays of tens of megabytes in all on
    /// windows-powershell-docs, each with room to spare, all new memory: a warm `status`'s
    /// largest source of page faults.
    public static func render(_ report: StatusReport,
                              map: ([Range<Int>], @Sendable (Range<Int>) -> [UInt8]) -> [[UInt8]]) -> String {
        document(report, map: map).rendered
    }

    /// The same text in parts (``JSONValue/renderedParts``): each run of articles is a part.
    public static func renderParts(_ report: StatusReport,
                                   map: ([Range<Int>], @Sendable (Range<Int>) -> [UInt8]) -> [[UInt8]]) -> [[UInt8]] {
        document(report, map: map).renderedParts
    }

    private static func document(_ report: StatusReport,
                                 map: ([Range<Int>], @Sendable (Range<Int>) -> [UInt8]) -> [[UInt8]]) -> JSONValue {
        let statuses = report.articles
        let runs = stride(from: 0, to: statuses.count, by: articlesPerRun).map { $0..<min($0 + articlesPerRun, statuses.count) }
        // The articles are elements of an array that is the top object's member: indent 4. A
        // run is one element of it as the array writes it: its objects are separated as the
        // array separates its elements (`element()` at that indent: a comma, a line feed, the
        // indent).
        let written = map(runs) { run in
            var writer = JSONWriter(indent: 4)
            // About the size of an article's object with a few findings, so it is rarely regrown
            // (each status's findings counted by its index: a slice's `reduce` copied every status).
            writer.bytes.reserveCapacity(run.reduce(0) { $0 + 1024 + 256 * statuses[$1].findings.count })
            for index in run {
                if index > run.lowerBound { writer.element() }
                write(statuses[index], into: &writer)
            }
            return writer.bytes
        }
        return JSONValue.object([
            ("asOf", .string(report.asOf.description)), ("head", .string(report.head)),
            ("articles", .array(written.map { .written($0) })),
            ("summary", .object(report.summary.map { ($0.key, .int($0.value)) })),
            // Added by the project: findings about no single article (governance, stray records).
            ("repositoryFindings", .array(report.otherFindings.map(fileFindingJSON))),
            // Added by the project: findings the team's switches silenced, over all articles.
            ("suppressed", suppressedJSON(report.suppressed)),
        ])
    }
}

/// `{ "policy": n, "comments": n, "baseline": n }`: findings switched off by the policy's
/// `rules:`, silenced by review-ignore comments, and accepted in the baseline.
func suppressedJSON(_ counts: SuppressedCounts) -> JSONValue {
    .object([("policy", .int(counts.policy)), ("comments", .int(counts.comments)), ("baseline", .int(counts.baseline))])
}

/// A finding with its file, as `check --format json` lists it.
func fileFindingJSON(_ finding: Finding) -> JSONValue {
    .object([("rule", .string(finding.rule.rawValue)), ("severity", .string(finding.severity.rawValue)),
             ("path", .string(finding.path.text)), ("line", .int(finding.line)), ("message", .string(finding.message))])
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
            ("suppressed", suppressedJSON(report.suppressed)),
        ]).rendered
    }
}
