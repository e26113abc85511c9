import Paths

/// The JSON twin of each dashboard page (`/api/...`, documented in docs/serve.md). Pure.
///
/// Articles are written exactly as `review status --format json` writes them, so a script
/// reads one shape everywhere.
public enum DashboardJSON {
    static func counts(_ counts: DashboardModel.Counts) -> JSONValue {
        .object(ReviewState.allCases.map { ($0.rawValue, .int(counts.byState[$0] ?? 0)) } + [("total", .int(counts.total))])
    }

    static func named(_ rows: [(name: String, counts: DashboardModel.Counts)]) -> JSONValue {
        .array(rows.map { .object([("name", .string($0.name)), ("counts", counts($0.counts))]) })
    }

    static func header(_ model: DashboardModel) -> [(key: String, value: JSONValue)] {
        [("asOf", .string(model.report.asOf.description)), ("head", .string(model.report.head))]
    }

    /// `/api/dashboard`; `warning` says why the newest revision could not be read (the
    /// answer is then about the last revision read).
    public static func dashboard(_ model: DashboardModel, warning: String? = nil) -> String {
        let s = model.summary
        return JSONValue.object(header(model) + [
            ("warning", .string(warning)),
            ("counts", counts(s.all)),
            ("freshness", .object(Freshness.allCases.map { ($0.rawValue, .int(s.byFreshness[$0] ?? 0)) })),
            // As on the page: the first of each list, with its length; /api/articles gives all.
            ("overdue", .array(s.overdue.prefix(DashboardHTML.listLimit).map(StatusJSONReporter.article))),
            ("overdueTotal", .int(s.overdue.count)),
            ("dueSoon", .array(s.dueSoon.prefix(DashboardHTML.listLimit).map(StatusJSONReporter.article))),
            ("dueSoonTotal", .int(s.dueSoon.count)),
            ("blocking", .array(s.blocking.prefix(DashboardHTML.listLimit).map {
                .object([("path", .string($0.status.path)), ("finding", fileFindingJSON($0.finding))])
            })),
            ("blockingTotal", .int(s.blocking.count)),
            ("byCategory", named(s.byCategory)),
            ("byOwner", named(s.byOwner)),
            ("repositoryFindings", .array(model.report.otherFindings.map(fileFindingJSON))),
        ]).rendered
    }

    /// `/api/articles`
    public static func articleList(_ model: DashboardModel, filter: ArticleFilter, page: Int) -> String {
        let rows = model.articles(filter)
        let size = DashboardHTML.pageSize
        let pages = max(1, (rows.count + size - 1) / size)
        let page = min(max(page, 1), pages)
        return JSONValue.object(header(model) + [
            ("total", .int(rows.count)), ("page", .int(page)), ("pages", .int(pages)),
            ("articles", .array(rows.dropFirst((page - 1) * size).prefix(size).map(StatusJSONReporter.article))),
        ]).rendered
    }

    /// `/api/articles/NAME`
    public static func article(_ model: DashboardModel, _ status: ArticleStatus) -> String {
        let facts = model.facts[status.path]
        let problems = Dictionary((status.findings + status.recordFindings).map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let records = (facts?.signOffs ?? []).sorted(by: SignOffRecord.historyOrder).reversed().map { record -> JSONValue in
            let s = record.signOff
            return .object([
                ("path", .string(record.path)), ("reviewer", .string(s.reviewer)), ("role", .string(s.role)),
                ("decision", .string(s.decision.rawValue)), ("timestamp", .string(Timestamp.format(s.timestamp))),
                ("revision", .string(s.blob)), ("comment", .string(s.comment)), ("commit", .string(record.addedBy)),
                ("counts", .bool(problems[record.path] == nil)), ("problem", .string(problems[record.path]?.message)),
                ("reason", .string(s.reason)), ("changeNote", .string(s.changeNote)),
            ])
        }
        return JSONValue.object(header(model) + [
            ("article", StatusJSONReporter.article(status)),
            ("owners", .array((model.owners[status.path] ?? []).map { .string($0) })),
            ("publishedRevision", .string(facts?.publishedBlob)),
            ("sha256", .string(facts?.sha256)),
            ("records", .array(Array(records))),
            ("frontMatter", .object((facts?.article.frontMatter ?? []).map { ($0.key, .string(DashboardHTML.yamlText($0.value))) })),
            ("publishableRevision", .string(facts.flatMap { SitePreview.publication($0, status, configuration: model.configuration).revision })),
            ("heldBack", .string(facts.flatMap { SitePreview.publication($0, status, configuration: model.configuration).heldBack })),
            ("signers", .array(model.signers(of: status).map { .string($0.id) })),
            ("requiredRoles", .array(model.requiredRoles(of: status).map { .string($0) })),
            // The revision a retraction signed now names (the one readers see), and whether an
            // approval now needs a change note (the category requires one and the text changed).
            ("retractionRevision", .string(facts?.retractionTarget.blob)),
            ("changeNoteRequired", .bool(facts.map { facts in
                status.category.flatMap { model.configuration.policy.categories[$0] }
                    .flatMap { WorkflowEngine.changeNoteRequired(facts, status, category: $0) } != nil
            } ?? false)),
        ]).rendered
    }

    /// `/api/articles/NAME/diff`
    public static func diff(_ model: DashboardModel, _ status: ArticleStatus, _ change: ArticleChange) -> String {
        var members = header(model) + [("path", .string(status.path)), ("revision", .string(status.revision))]
        switch change {
        case .neverApproved: members += [("change", .string("never-approved")), ("from", .null), ("runs", .array([]))]
        case .unchanged: members += [("change", .string("unchanged")), ("from", .string(status.revision)), ("runs", .array([]))]
        case .changed(let from, let diff):
            members += [("change", .string("changed")), ("from", .string(from)),
                        ("wordsAdded", .int(diff.wordsAdded)), ("wordsRemoved", .int(diff.wordsRemoved)),
                        ("runs", .array(diff.runs.map { .object([("kind", .string($0.kind.rawValue)), ("text", .string($0.text))]) }))]
        }
        return JSONValue.object(members).rendered
    }

    /// `/api/queue`: as `review due --format json` writes it.
    public static func queue(_ model: DashboardModel, reviewer: Reviewer?) -> String {
        var queue = model.queue
        if let reviewer { queue.items = model.queue(for: reviewer) }
        return QueueFormat.json.render(queue)
    }

    /// `/api/log`
    public static func log(_ entries: [ReviewLog.Entry]) -> String { JSONOutput.encode(entries) }

    /// `/api/verify`
    public static func verify(_ report: VerifyReport) -> String {
        JSONValue.object([
            ("head", .string(report.head)), ("failed", .bool(report.failed)), ("total", .int(report.total)), ("verified", .int(report.verified)),
            ("findings", .array((report.configurationFindings + report.publicationFindings + report.findings).map(fileFindingJSON))),
        ]).rendered
    }

    /// An error as every `/api/` answer gives it.
    public static func error(_ status: Int, _ message: String) -> String {
        JSONValue.object([("error", .string(message)), ("status", .int(status))]).rendered
    }
}
