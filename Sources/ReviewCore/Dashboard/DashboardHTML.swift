import Paths

/// The dashboard's HTML pages. Pure: each takes values and returns a document.
///
/// Every value is escaped (``MarkdownHTML/escape(_:)``); pages carry no inline script or
/// style (the server's Content-Security-Policy forbids them): behaviour is in `/assets/app.js`,
/// looks in `/assets/dashboard.css`.
public enum DashboardHTML {
    /// What every page shares.
    public struct Frame: Sendable {
        /// Sent back in the `X-Review-CSRF` header by every change the page makes.
        public var csrfToken: String
        /// No approve or request-changes form anywhere.
        public var readOnly: Bool
        /// Why the newest revision could not be read (the pages then show the last one read).
        public var warning: String?

        public init(csrfToken: String, readOnly: Bool, warning: String? = nil) {
            self.csrfToken = csrfToken
            self.readOnly = readOnly
            self.warning = warning
        }
    }

    /// Lists longer than this link to the full, paged list.
    public static let listLimit = 50
    /// Rows per page of an article list.
    public static let pageSize = 100

    static func e(_ text: String) -> String { MarkdownHTML.escape(text) }
    static func e(_ path: GitPath) -> String { MarkdownHTML.escape(path.text) }

    /// A URL query component, percent-encoded.
    static func q(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let digits = Array("0123456789ABCDEF")
                out += "%\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])"
            }
        }
        return out
    }

    /// A path segment or path for an article's pages: its page name, each segment encoded.
    static func articleHref(_ model: DashboardModel, _ status: ArticleStatus, _ suffix: String = "") -> String {
        let name = model.configuration.policy.content.pageName(of: status.path)
        return "/articles/" + name.split(separator: "/").map { q(String($0)) }.joined(separator: "/") + suffix
    }

    static func document(_ title: String, frame: Frame, model: DashboardModel?, main: String) -> String {
        let site = model?.configuration.policy.site.title ?? "review"
        let head = model.map { "<p class=\"revision\">As of \(time($0.report.asOf)) · revision <code>\(e(String($0.report.head.prefix(12))))</code>"
            + (frame.readOnly ? " · read-only" : "") + "</p>" } ?? ""
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <meta name="review-csrf" content="\(e(frame.csrfToken))"/>
            <title>\(e(title)) · \(e(site)) review</title>
            <link rel="stylesheet" href="/assets/dashboard.css"/>
            <script src="/assets/app.js" defer></script>
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header>
            <nav aria-label="Dashboard">
            <a href="/">Dashboard</a> <a href="/articles">Articles</a> <a href="/queue">Queue</a> <a href="/log">Log</a> <a href="/verify">Verify</a>
            </nav>
            \(head)
            \(frame.warning.map { "<p class=\"warning\" role=\"alert\"><strong>The newest revision cannot be read:</strong> \(e($0)). These pages show the last revision read.</p>" } ?? "")
            </header>
            <main id="main">
            \(main)
            </main>
            </body>
            </html>

            """
    }

    static func time(_ day: Day) -> String { "<time datetime=\"\(day)\">\(day)</time>" }

    static func stateTag(_ state: ReviewState) -> String { "<span class=\"state state-\(state.rawValue)\">\(state.rawValue)</span>" }

    static func freshnessTag(_ freshness: Freshness) -> String {
        "<span class=\"freshness freshness-\(freshness.rawValue)\">\(freshness.rawValue)</span>"
    }

    static func findingItem(_ finding: Finding, article: GitPath?) -> String {
        let place = (article == finding.path ? "" : finding.path.text) + (finding.line.map { ":\($0)" } ?? "")
        return "<li class=\"finding \(finding.severity.rawValue)\"><span class=\"severity\">\(finding.severity.rawValue)</span> "
            + "<code>\(e(finding.rule.rawValue))</code> \(place.isEmpty ? "" : "<code>\(e(place))</code> ")\(e(finding.message))</li>"
    }

    /// A table of articles: title, state, freshness, next review, owners.
    static func articleTable(_ model: DashboardModel, _ rows: some Collection<ArticleStatus>, caption: String) -> String {
        var out = "<table class=\"stack\">\n<caption>\(e(caption))</caption>\n<thead><tr><th scope=\"col\">Article</th><th scope=\"col\">State</th>"
            + "<th scope=\"col\">Freshness</th><th scope=\"col\">Next review due</th><th scope=\"col\">Category</th><th scope=\"col\">Owners</th></tr></thead>\n<tbody>\n"
        for status in rows {
            out += "<tr><td><a href=\"\(e(articleHref(model, status)))\">\(e(status.title ?? status.slug))</a><br/><code>\(e(status.path))</code></td>"
                + "<td data-label=\"State\">\(stateTag(status.state))</td><td data-label=\"Freshness\">\(freshnessTag(status.freshness))</td>"
                + "<td data-label=\"Next review due\">\(status.nextReviewDue.map(time) ?? "")</td><td data-label=\"Category\">\(e(status.category ?? ""))</td>"
                + "<td data-label=\"Owners\">\(e((model.owners[status.path] ?? []).joined(separator: ", ")))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    static func listLink(_ filter: ArticleFilter, _ text: String) -> String {
        "<a href=\"/articles?\(e(filter.query.map { "\($0.0)=\(q($0.1))" }.joined(separator: "&")))\">\(e(text))</a>"
    }

    static func countsTable(_ rows: [(name: String, counts: DashboardModel.Counts)], caption: String, column: String,
                            key: (String) -> ArticleFilter) -> String {
        var out = "<table class=\"counts\">\n<caption>\(e(caption))</caption>\n<thead><tr><th scope=\"col\">\(e(column))</th>"
        for state in ReviewState.allCases { out += "<th scope=\"col\">\(state.rawValue)</th>" }
        out += "<th scope=\"col\">total</th></tr></thead>\n<tbody>\n"
        for row in rows {
            out += "<tr><th scope=\"row\">\(listLink(key(row.name), row.name))</th>"
            for state in ReviewState.allCases {
                let n = row.counts.byState[state] ?? 0
                var filter = key(row.name)
                filter.state = state
                out += "<td>\(n == 0 ? "0" : listLink(filter, String(n)))</td>"
            }
            out += "<td>\(row.counts.total == 0 ? "0" : listLink(key(row.name), String(row.counts.total)))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    // MARK: Pages

    /// `/`: states, overdue, due soon, blocking findings, by category and by owner; for a
    /// reviewer (`/?reviewer=ID`, remembered by the browser), first what needs their review.
    public static func dashboard(_ model: DashboardModel, frame: Frame, reviewer: Reviewer? = nil) -> String {
        let s = model.summary
        var main = "<h1>\(reviewer == nil ? "Dashboard" : "Your reviews")</h1>\n" + reviewerPicker(model, reviewer)
        if let reviewer { main += nextSteps(model, reviewer) }
        main += "<h2 class=\"totals-heading\">All articles</h2>\n<ul class=\"totals\">\n"
        for state in ReviewState.allCases {
            main += "<li>\(listLink(ArticleFilter(state: state), "\(s.all.byState[state] ?? 0) \(state.rawValue)"))</li>\n"
        }
        main += "<li>\(listLink(ArticleFilter(freshness: .overdue), "\(s.byFreshness[.overdue] ?? 0) overdue"))</li>\n"
        main += "<li>\(listLink(ArticleFilter(freshness: .dueSoon), "\(s.byFreshness[.dueSoon] ?? 0) due soon"))</li>\n</ul>\n"
        if !model.queue.schedule.isEmpty {
            main += "<section aria-labelledby=\"scheduled\"><h2 id=\"scheduled\">Going live or coming down in the next \(ReviewQueue.scheduleDays) days (\(model.queue.schedule.count))</h2>\n<ul class=\"scheduled\">\n"
            for item in model.queue.schedule {
                let href = model.statusByPath[item.path].map { articleHref(model, $0) } ?? "/articles"
                main += "<li>\(time(item.day)) <a href=\"\(e(href))\">\(e(item.title))</a>: \(e(item.note))</li>\n"
            }
            main += "</ul>\n</section>\n"
        }
        if !model.report.otherFindings.isEmpty {
            main += "<section aria-labelledby=\"repo\"><h2 id=\"repo\">Repository</h2>\n<ul class=\"findings\">\n"
                + model.report.otherFindings.map { findingItem($0, article: nil) }.joined(separator: "\n") + "\n</ul>\n</section>\n"
        }
        // One count, one unit (issue 32, item 5): articles here, findings as check counts them beside.
        let blockingFindings = model.report.articles.reduce(0) { $0 + $1.findings.filter { $0.severity == .error }.count }
        main += "<section aria-labelledby=\"blocking\"><h2 id=\"blocking\">Articles with blocking findings (\(s.blocking.count) article\(s.blocking.count == 1 ? "" : "s"), \(blockingFindings) finding\(blockingFindings == 1 ? "" : "s"))</h2>\n"
        if s.blocking.isEmpty {
            main += "<p>None: <code>review check</code> passes.</p>\n"
        } else {
            main += "<ul class=\"findings\">\n"
            for (status, finding) in s.blocking.prefix(listLimit) {
                main += "<li><a href=\"\(e(articleHref(model, status)))\">\(e(status.title ?? status.slug))</a><ul>\(findingItem(finding, article: status.path))</ul></li>\n"
            }
            main += "</ul>\n" + (s.blocking.count > listLimit ? "<p>and \(s.blocking.count - listLimit) more.</p>\n" : "")
        }
        main += "</section>\n"
        for (id, title, rows, freshness) in [("overdue", "Overdue", s.overdue, Freshness.overdue), ("due-soon", "Due soon", s.dueSoon, .dueSoon)] {
            main += "<section aria-labelledby=\"\(id)\"><h2 id=\"\(id)\">\(title) (\(rows.isEmpty ? "0" : listLink(ArticleFilter(freshness: freshness), String(rows.count))))</h2>\n"
            main += rows.isEmpty ? "<p>None.</p>\n" : articleTable(model, rows.prefix(listLimit), caption: "\(title), by due date")
            if rows.count > listLimit { main += "<p>\(listLink(ArticleFilter(freshness: freshness), "All \(rows.count)"))</p>\n" }
            main += "</section>\n"
        }
        main += "<section aria-labelledby=\"categories\"><h2 id=\"categories\">By category</h2>\n"
            + countsTable(s.byCategory, caption: "Articles by category", column: "category") { ArticleFilter(category: $0) } + "</section>\n"
        main += "<section aria-labelledby=\"owners\"><h2 id=\"owners\">By owner</h2>\n"
            + countsTable(s.byOwner, caption: "Articles by owner", column: "owner") { ArticleFilter(owner: $0) } + "</section>\n"
        return document("Dashboard", frame: frame, model: model, main: main)
    }

    /// "I am …": picks the reviewer whose reviews the dashboard lists first (the browser
    /// remembers the choice: `/assets/app.js`).
    static func reviewerPicker(_ model: DashboardModel, _ reviewer: Reviewer?) -> String {
        guard !model.configuration.reviewers.isEmpty else { return "" }
        var out = "<form id=\"me-form\" class=\"filter\" method=\"get\" action=\"/\"><label>I am <select name=\"reviewer\"><option value=\"\">not a reviewer: show everything</option>"
        for r in model.configuration.reviewers where r.isValid(on: model.configuration.asOf) || r.id == reviewer?.id {
            out += "<option\(r.id == reviewer?.id ? " selected" : "") value=\"\(e(r.id))\">\(e(r.name))</option>"
        }
        return out + "</select></label> <button type=\"submit\">Show my reviews</button></form>\n"
    }

    /// What needs this reviewer, most urgent first: each article with its title, the role,
    /// why and by when, who answers for it and who else may sign.
    static func nextSteps(_ model: DashboardModel, _ reviewer: Reviewer) -> String {
        let items = model.queue(for: reviewer).sorted { ($0.due, $0.title, $0.role) < ($1.due, $1.title, $1.role) }
        var out = "<section aria-labelledby=\"mine\"><h2 id=\"mine\">What needs your review, \(e(reviewer.name)) (\(items.count))</h2>\n"
        guard !items.isEmpty else { return out + "<p>Nothing: every article in your roles is reviewed and up to date.</p>\n</section>\n" }
        out += "<ol class=\"next\">\n"
        for item in items.prefix(listLimit) {
            let href = model.statusByPath[item.path].map { articleHref(model, $0) } ?? "/articles"
            let others = item.reviewers.filter { $0 != reviewer.id }.map { model.configuration.reviewer($0)?.name ?? $0 }
            let when = item.overdue ? "<strong class=\"late\">overdue since \(time(item.due))</strong>"
                : item.due == model.configuration.asOf ? "now" : "due \(time(item.due))"
            out += "<li><a href=\"\(e(href))\">\(e(item.title))</a>: \(e(item.role)) review, \(when). \(e(item.reason.prefix(1).uppercased() + item.reason.dropFirst()))."
                + (item.owners.isEmpty ? "" : " Owners: \(e(item.owners.joined(separator: ", "))).")
                + (others.isEmpty ? "" : " Also may sign: \(e(others.joined(separator: ", "))).") + "</li>\n"
        }
        out += "</ol>\n"
        if items.count > listLimit { out += "<p><a href=\"/queue?reviewer=\(e(q(reviewer.id)))\">All \(items.count) in your queue</a></p>\n" }
        return out + "</section>\n"
    }

    /// `/articles`: a filtered list, `pageSize` rows a page (1-based `page`).
    public static func articleList(_ model: DashboardModel, filter: ArticleFilter, page: Int, frame: Frame) -> String {
        let rows = model.articles(filter)
        let pages = max(1, (rows.count + pageSize - 1) / pageSize)
        let page = min(max(page, 1), pages)
        var main = "<h1>Articles (\(rows.count))</h1>\n<form class=\"filter\" method=\"get\" action=\"/articles\">\n"
        main += select("state", "State", ReviewState.allCases.map(\.rawValue), filter.state?.rawValue)
        main += select("freshness", "Freshness", Freshness.allCases.map(\.rawValue), filter.freshness?.rawValue)
        main += select("category", "Category", model.summary.byCategory.map(\.name), filter.category)
        main += "<label>Title or path <input type=\"search\" name=\"q\" value=\"\(e(filter.text ?? ""))\"/></label>\n"
        if let owner = filter.owner { main += "<input type=\"hidden\" name=\"owner\" value=\"\(e(owner))\"/>\n" }
        main += "<button type=\"submit\">Show</button>\n</form>\n"
        let slice = rows.dropFirst((page - 1) * pageSize).prefix(pageSize)
        main += articleTable(model, slice, caption: "Page \(page) of \(pages)")
        if pages > 1 {
            let base = filter.query.map { "\($0.0)=\(q($0.1))&" }.joined()
            main += "<nav aria-label=\"Pages\"><p>"
                + (page > 1 ? "<a href=\"/articles?\(e(base))page=\(page - 1)\" rel=\"prev\">Previous</a> " : "")
                + "Page \(page) of \(pages)"
                + (page < pages ? " <a href=\"/articles?\(e(base))page=\(page + 1)\" rel=\"next\">Next</a>" : "") + "</p></nav>\n"
        }
        return document("Articles", frame: frame, model: model, main: main)
    }

    static func select(_ name: String, _ label: String, _ options: [String], _ selected: String?) -> String {
        var out = "<label>\(e(label)) <select name=\"\(name)\"><option value=\"\">any</option>"
        for option in options {
            out += "<option\(option == selected ? " selected" : "") value=\"\(e(option))\">\(e(option))</option>"
        }
        return out + "</select></label>\n"
    }

    /// `/articles/NAME`: the reviewer's desk. The revision the form signs, drawn as the site
    /// draws pages, with its changes since the last full approval beside it and the published
    /// page one click away; then (unless read-only) the form to sign a decision on exactly
    /// that revision in the browser; the article's state, dates, findings with lines, sign-off
    /// history, front matter, and what `review publish` would do now.
    ///
    /// - Parameter change: the changes since the last full approval (the server reads both
    ///   revisions); `nil` leaves a link to them instead.
    public static func article(_ model: DashboardModel, _ status: ArticleStatus, change: ArticleChange? = nil, frame: Frame) -> String {
        let facts = model.facts[status.path]
        let shown = String(status.revision.prefix(7))
        var main = "<h1>\(e(status.title ?? status.slug))</h1>\n<p><code class=\"path\">\(e(status.path))</code> \(stateTag(status.state)) \(freshnessTag(status.freshness))</p>\n"
        // Who may sign a retraction: the form, and the link to it, only where someone may.
        let retractSigners = frame.readOnly || facts == nil ? [] : model.signers(of: status)
        if !frame.readOnly, facts != nil {
            main += "<p><a href=\"#sign\">Sign a decision on this revision</a>"
                + (retractSigners.isEmpty ? "" : " · <a href=\"#retract\">Withdraw the page (retract)</a>") + "</p>\n"
        }
        // The desk: what the form signs, as readers would see it, beside what changed since the
        // last full approval (issue 33: the preview showed the approved text while the form
        // signed the new one).
        main += "<div class=\"desk\">\n<section class=\"shown\" aria-labelledby=\"shown\"><h2 id=\"shown\">Revision <code>\(e(shown))</code>, the one you sign</h2>\n"
        main += "<p>As readers would see it, drawn by the site's renderer\(status.approvals.contains { $0.current } ? ", with the approvals it has so far" : "").</p>\n"
        main += "<p>\(publishedLink(model, status, facts))</p>\n"
        main += "<iframe class=\"preview\" title=\"Revision \(e(shown)) of \(e(status.title ?? status.slug)) as readers would see it\" sandbox=\"\" src=\"\(e(previewHref(model, status, revision: status.revision)))\"></iframe>\n"
        main += "</section>\n<section class=\"changes\" aria-labelledby=\"changes\"><h2 id=\"changes\">Changes since the last full approval</h2>\n"
        main += change.map(changeText) ?? ""
        main += "<p><a href=\"\(e(articleHref(model, status, "/diff")))\">\(change == nil ? "Changes since the last approval" : "The changes on a page of their own")</a></p>\n</section>\n</div>\n"
        if !frame.readOnly {
            main += signForm(model, status, frame: frame)
            if let facts, !retractSigners.isEmpty {
                main += retractForm(model, status, facts: facts, signers: retractSigners)
            }
        }
        main += "<section aria-labelledby=\"facts\"><h2 id=\"facts\">State and dates</h2>\n<dl class=\"facts\">\n"
        main += "<dt>Revision</dt><dd><code>\(e(status.revision))</code></dd>\n"
        main += "<dt>Last updated</dt><dd>\(status.lastUpdated.map(time) ?? "unknown")</dd>\n"
        main += "<dt>Last changed</dt><dd>\(status.lastChanged.map(time) ?? "unknown")\(status.lastChangedBy.map { " by \(e($0))" } ?? "")</dd>\n"
        main += "<dt>Last reviewed</dt><dd>\(status.lastReviewed.map(time) ?? "never")</dd>\n"
        main += "<dt>Next review due</dt><dd>\(status.nextReviewDue.map(time) ?? "not scheduled")</dd>\n"
        main += "<dt>Roles still to approve</dt><dd>\(status.missingRoles.isEmpty ? "none" : e(status.missingRoles.joined(separator: ", ")))</dd>\n"
        main += "<dt>Owners</dt><dd>\(e((model.owners[status.path] ?? []).joined(separator: ", ")))</dd>\n"
        main += "<dt>On <code>published</code> now</dt><dd>\(publishedText(facts, status))</dd>\n"
        main += "</dl>\n</section>\n"
        main += "<section aria-labelledby=\"findings\"><h2 id=\"findings\">Findings (\(status.findings.count))</h2>\n"
        main += status.findings.isEmpty ? "<p>None.</p>\n"
            : "<ul class=\"findings\">\n" + status.findings.map { findingItem($0, article: status.path) }.joined(separator: "\n") + "\n</ul>\n"
        main += "</section>\n"
        main += history(model, status, facts)
        if let facts, !facts.article.frontMatter.isEmpty {
            main += "<section aria-labelledby=\"front\"><h2 id=\"front\">Front matter</h2>\n<dl class=\"front-matter\">\n"
            for (key, value) in facts.article.frontMatter {
                main += "<dt>\(e(key))</dt><dd>\(e(yamlText(value)))</dd>\n"
            }
            main += "</dl>\n</section>\n"
        }
        let publication = facts.map { SitePreview.publication($0, status, configuration: model.configuration) }
        main += "<section aria-labelledby=\"page\"><h2 id=\"page\">What 'review publish' would do</h2>\n"
        if let revision = publication?.revision {
            main += "<p>It would publish revision <code>\(e(String(revision.prefix(7))))</code>"
                + (revision == status.revision ? " (this one)" : ", an earlier approved one")
                + ": <a href=\"\(e(previewHref(model, status)))\">the page it would write</a>.</p>\n"
        } else if let reason = publication?.heldBack {
            main += "<p><strong>Not publishable now:</strong> \(e(reason)).</p>\n"
        }
        main += "</section>\n"
        return document(status.title ?? status.slug, frame: frame, model: model, main: main)
    }

    /// Where the page readers see now is, one click away: the revision on `published`.
    static func publishedLink(_ model: DashboardModel, _ status: ArticleStatus, _ facts: ArticleFacts?) -> String {
        guard let published = facts?.publishedBlob else { return "Not published yet." }
        if published == status.revision { return "This revision is the one on <code>published</code>." }
        return "<a href=\"\(e(previewHref(model, status, revision: published)))\">The page readers see now</a> (revision <code>\(e(String(published.prefix(7))))</code>, on <code>published</code>)."
    }

    /// The changes since the last full approval, word by word.
    static func changeText(_ change: ArticleChange) -> String {
        switch change {
        case .neverApproved:
            return "<p>Never fully approved: the whole text is new to its reviewers.</p>\n"
        case .unchanged:
            return "<p>Unchanged since its last full approval.</p>\n"
        case .changed(let from, let words):
            var out = "<p>Since approved revision <code>\(e(String(from.prefix(7))))</code>: \(words.wordsAdded) words added, \(words.wordsRemoved) removed.</p>\n"
            out += "<pre class=\"diff\">"
            for run in words.runs {
                switch run.kind {
                case .same: out += e(run.text)
                case .added: out += "<ins>\(e(run.text))</ins>"
                case .removed: out += "<del>\(e(run.text))</del>"
                }
            }
            return out + "</pre>\n"
        }
    }

    /// The preview of the page `review publish` would write now, or of one `revision` drawn
    /// as the site draws it.
    static func previewHref(_ model: DashboardModel, _ status: ArticleStatus, revision: String? = nil) -> String {
        "/preview/" + model.configuration.policy.content.pageName(of: status.path).split(separator: "/").map { q(String($0)) }.joined(separator: "/") + ".html"
            + (revision.map { "?revision=" + q($0) } ?? "")
    }

    static func publishedText(_ facts: ArticleFacts?, _ status: ArticleStatus) -> String {
        guard let published = facts?.publishedBlob else { return "not published" }
        if published == status.revision { return "this revision (<code>\(e(String(published.prefix(7))))</code>)" }
        return "an earlier revision, <code>\(e(String(published.prefix(7))))</code>"
    }

    static func yamlText(_ value: YAMLValue) -> String {
        switch value {
        case .scalar(let s, _): s
        case .list(let items, _): "[" + items.map(yamlText).joined(separator: ", ") + "]"
        case .map(let pairs, _): "{" + pairs.map { "\($0.key): \(yamlText($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// Every record, newest first, with whether it counts.
    static func history(_ model: DashboardModel, _ status: ArticleStatus, _ facts: ArticleFacts?) -> String {
        let records = (facts?.signOffs ?? []).sorted(by: SignOffRecord.historyOrder).reversed()
        var out = "<section aria-labelledby=\"history\"><h2 id=\"history\">Sign-off history (\(records.count))</h2>\n"
        guard !records.isEmpty else { return out + "<p>No decision recorded yet.</p>\n</section>\n" }
        out += "<table class=\"stack\">\n<caption>Signed decisions, newest first</caption>\n<thead><tr><th scope=\"col\">When</th><th scope=\"col\">Who</th>"
            + "<th scope=\"col\">Role</th><th scope=\"col\">Decision</th><th scope=\"col\">Revision</th><th scope=\"col\">Counts</th><th scope=\"col\">Comment</th></tr></thead>\n<tbody>\n"
        let problems = Dictionary((status.findings + status.recordFindings).map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        for record in records {
            let s = record.signOff
            let name = model.configuration.reviewer(s.reviewer)?.name ?? s.reviewer
            let counts = problems[record.path].map { "no: \(e($0.message))" } ?? (s.blob == status.revision ? "yes" : "yes (earlier revision)")
            out += "<tr><td>\(e(Timestamp.format(s.timestamp)))</td><td data-label=\"Who\">\(e(name))</td><td data-label=\"Role\">\(e(s.role))</td><td data-label=\"Decision\">\(e(s.decision.rawValue))</td>"
                + "<td data-label=\"Revision\"><code>\(e(String(s.blob.prefix(7))))</code></td><td data-label=\"Counts\">\(counts)</td><td data-label=\"Comment\">\(e(s.comment))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</section>\n"
    }

    /// The approve / request-changes form, for exactly the revision the page shows (its blob id
    /// and SHA-256 are what the browser checks and signs). The browser signs; the server only
    /// checks. Before signing, the browser asks whether the article moved on since the page was
    /// loaded (`data-check`), and refuses to sign what the reviewer has not seen.
    static func signForm(_ model: DashboardModel, _ status: ArticleStatus, frame _: Frame) -> String {
        guard let facts = model.facts[status.path] else { return "" }
        let signers = model.signers(of: status)
        guard !signers.isEmpty else { return "<p>No reviewer holds a required role with a valid key today.</p>\n" }
        let shown = String(facts.blob.prefix(7))
        var out = "<section aria-labelledby=\"sign\"><h2 id=\"sign\">Sign a decision on revision <code>\(e(shown))</code></h2>\n"
        out += "<form id=\"sign-form\" class=\"sign\" data-result=\"sign-result\" data-article=\"\(e(status.path))\" data-blob=\"\(e(facts.blob))\" data-sha256=\"\(e(facts.sha256))\" data-after=\"\(e(articleHref(model, status)))\" data-check=\"/api\(e(articleHref(model, status)))\">\n"
        out += "<p>You sign revision <code>\(e(shown))</code>, the text this page shows (SHA-256 <code class=\"digest\">\(e(facts.sha256))</code>). "
            + "If the article changes after you opened this page, nothing is signed: reload to read the new text.</p>\n"
        out += "<p>Your browser signs the record with your key; the key never leaves this computer.</p>\n"
        out += "<label>Reviewer <select name=\"reviewer\" required>"
        for r in signers { out += "<option value=\"\(e(r.id))\">\(e(r.name)) (\(e(r.id)))</option>" }
        out += "</select></label>\n<label>Role <select name=\"role\" required>"
        let roles = model.requiredRoles(of: status)
        for role in roles { out += "<option\(status.missingRoles.first == role ? " selected" : "") value=\"\(e(role))\">\(e(role))</option>" }
        out += "</select></label>\n<fieldset><legend>Decision</legend>"
            + "<label><input type=\"radio\" name=\"decision\" value=\"approve\" checked/> Approve</label> "
            + "<label><input type=\"radio\" name=\"decision\" value=\"request-changes\"/> Request changes</label></fieldset>\n"
        out += "<label>Comment <textarea name=\"comment\" rows=\"3\"></textarea></label>\n"
        // A public change note goes with an approval (`review approve --change-note`): readers see it under "What changed".
        let category = status.category.flatMap { model.configuration.policy.categories[$0] }
        let required = category.flatMap { WorkflowEngine.changeNoteRequired(facts, status, category: $0) }
        out += "<label><span>Change note, with an approval (public: the page shows it under \"What changed\")"
            + (required.map { "; <strong>required</strong>: the reviewed text changed since approved revision <code>\(e(String($0.prefix(7))))</code>" } ?? "")
            + "</span> <textarea name=\"change-note\" rows=\"2\"\(required == nil ? "" : " data-required=\"true\"")></textarea></label>\n"
        out += keyFields + toSign("sign")
        out += "<button type=\"submit\">Sign and record</button>\n<p id=\"sign-result\" role=\"status\" aria-live=\"polite\"></p>\n</form>\n</section>\n"
        return out
    }

    /// The key file (or export) and passphrase fields of both forms.
    static let keyFields = "<label><span>Your key file (<code>~/.config/review/keys/ID.key</code>), or a key export (<code>review keygen ID --export FILE</code>)</span> <input type=\"file\" name=\"key\" required/></label>\n"
        + "<label><span>Passphrase (a key export only)</span> <input type=\"password\" name=\"passphrase\"/></label>\n"

    /// Where the page shows the exact bytes the browser will sign (the script writes them as
    /// the form is filled in; the timestamp is the moment the button is pressed).
    static func toSign(_ id: String) -> String {
        "<details class=\"to-sign\" open><summary>What your browser will sign</summary><pre id=\"\(id)-preview\" class=\"to-sign\">"
            + "The record's fields, as 'review-signoff/1' encodes them (shown here when scripts run).</pre></details>\n"
    }

    /// The retraction form (`review retract` in the page): a reviewer holding a role the
    /// article's category requires signs a retraction of the revision readers see, with a
    /// public reason. The browser signs; the server checks it as `retract` would and commits it.
    static func retractForm(_ model: DashboardModel, _ status: ArticleStatus, facts: ArticleFacts, signers: [Reviewer]) -> String {
        let target = facts.retractionTarget
        let shown = String(target.blob.prefix(7))
        let readersSee = facts.publishedBlob == target.blob
        var out = "<section aria-labelledby=\"retract\"><h2 id=\"retract\">Withdraw the page: sign a retraction of revision <code>\(e(shown))</code></h2>\n"
        if let r = status.retraction {
            out += "<p class=\"warning\">A retraction already stands: \(time(r.date)) by \(e(r.reviewerName ?? r.reviewer)) (\(e(r.role))): \(e(r.reason)).</p>\n"
        }
        out += "<form id=\"retract-form\" class=\"sign\" data-decision=\"retract\" data-result=\"retract-result\" data-article=\"\(e(status.path))\" data-blob=\"\(e(target.blob))\" data-sha256=\"\(e(target.sha256))\" data-after=\"\(e(articleHref(model, status)))\" data-check=\"/api\(e(articleHref(model, status)))\" data-check-field=\"retractionRevision\">\n"
        out += "<p>A retraction takes the page down at the next <code>review publish</code>, whatever its approvals, and leaves a page saying it was withdrawn, when, by whom and why. "
            + "It stands until every required role approves a later revision whose text differs.</p>\n"
        out += "<p>You retract revision <code>\(e(shown))</code>, "
            + (readersSee ? (target.blob == facts.blob ? "the text readers see now on <code>published</code> (this page's revision)"
                                                        : "<a href=\"\(e(previewHref(model, status, revision: target.blob)))\">the text readers see now</a> on <code>published</code> (not this page's newer revision)")
                          : "the current revision (the article is not published)")
            + " (SHA-256 <code class=\"digest\">\(e(target.sha256))</code>).</p>\n"
        out += "<label>Reviewer <select name=\"reviewer\" required>"
        for r in signers { out += "<option value=\"\(e(r.id))\">\(e(r.name)) (\(e(r.id)))</option>" }
        out += "</select></label>\n<label>Role (one the category requires) <select name=\"role\" required>"
        for role in model.requiredRoles(of: status) { out += "<option value=\"\(e(role))\">\(e(role))</option>" }
        out += "</select></label>\n"
        out += "<label><span>Reason (public: the withdrawn page shows it)</span> <textarea name=\"reason\" rows=\"2\" required></textarea></label>\n"
        out += "<label><span>Comment (kept with the record, not shown to readers)</span> <textarea name=\"comment\" rows=\"2\"></textarea></label>\n"
        out += keyFields + toSign("retract")
        out += "<button type=\"submit\">Sign the retraction</button>\n<p id=\"retract-result\" role=\"status\" aria-live=\"polite\"></p>\n</form>\n</section>\n"
        return out
    }

    /// `/articles/NAME/diff`: the word-level changes since the last fully approved revision,
    /// and (unless read-only) the same form as the article page, for the same revision.
    public static func diff(_ model: DashboardModel, _ status: ArticleStatus, _ diff: ArticleChange, frame: Frame) -> String {
        var main = "<h1>Changes to \(e(status.title ?? status.slug))</h1>\n<p><a href=\"\(e(articleHref(model, status)))\">Back to the article</a>"
            + " · <a href=\"\(e(previewHref(model, status, revision: status.revision)))\">Revision <code>\(e(String(status.revision.prefix(7))))</code> as readers would see it</a></p>\n"
        main += changeText(diff)
        if !frame.readOnly { main += signForm(model, status, frame: frame) }
        return document("Changes to \(status.title ?? status.slug)", frame: frame, model: model, main: main)
    }

    /// `/queue`: every reviewer's queue, or one reviewer's (`reviewer`).
    public static func queue(_ model: DashboardModel, reviewer: Reviewer?, frame: Frame) -> String {
        let items = reviewer.map(model.queue(for:)) ?? model.queue.items
        var main = "<h1>\(reviewer.map { "Queue of \(e($0.name))" } ?? "Review queue") (\(items.count))</h1>\n"
        main += "<form class=\"filter\" method=\"get\" action=\"/queue\"><label>Reviewer <select name=\"reviewer\"><option value=\"\">everyone</option>"
        for r in model.configuration.reviewers {
            main += "<option\(r.id == reviewer?.id ? " selected" : "") value=\"\(e(r.id))\">\(e(r.name))</option>"
        }
        main += "</select></label> <button type=\"submit\">Show</button></form>\n"
        main += "<table class=\"stack\">\n<caption>By due date</caption>\n<thead><tr><th scope=\"col\">Due</th><th scope=\"col\">Article</th><th scope=\"col\">Role</th>"
            + "<th scope=\"col\">Why</th><th scope=\"col\">Reviewers</th></tr></thead>\n<tbody>\n"
        for item in items.prefix(pageSize * 5) {
            let href = model.statusByPath[item.path].map { articleHref(model, $0) } ?? "/articles"
            // People by name (issue 33: the queue showed reviewer ids).
            let names = item.reviewers.map { model.configuration.reviewer($0)?.name ?? $0 }
            main += "<tr\(item.overdue ? " class=\"overdue\"" : "")><td data-label=\"Due\">\(time(item.due))</td><td data-label=\"Article\"><a href=\"\(e(href))\">\(e(item.title))</a></td>"
                + "<td data-label=\"Role\">\(e(item.role))</td><td data-label=\"Why\">\(e(item.reason))</td><td data-label=\"Reviewers\">\(e(names.joined(separator: ", ")))</td></tr>\n"
        }
        main += "</tbody>\n</table>\n"
        if items.count > pageSize * 5 { main += "<p>The first \(pageSize * 5) of \(items.count); <code>review due</code> lists them all.</p>\n" }
        return document("Queue", frame: frame, model: model, main: main)
    }

    /// `/log`: edits and decisions, newest first.
    public static func log(_ model: DashboardModel, entries: [ReviewLog.Entry], frame: Frame) -> String {
        var main = "<h1>Log</h1>\n<table class=\"stack\">\n<caption>The newest \(entries.count) edits and decisions</caption>\n<thead><tr><th scope=\"col\">When</th>"
            + "<th scope=\"col\">Article</th><th scope=\"col\">What</th><th scope=\"col\">Who</th><th scope=\"col\">Revision</th><th scope=\"col\">Comment</th></tr></thead>\n<tbody>\n"
        for entry in entries {
            let name = model.statusByPath[entry.article].map { "<a href=\"\(e(articleHref(model, $0)))\">\(e(entry.article))</a>" } ?? e(entry.article)
            main += "<tr><td>\(e(Timestamp.format(entry.time)))</td><td data-label=\"Article\">\(name)</td><td data-label=\"What\">\(e(entry.action))\(entry.role.map { " (\(e($0)))" } ?? "")</td>"
                + "<td data-label=\"Who\">\(e(model.configuration.reviewer(entry.who)?.name ?? entry.who))</td><td data-label=\"Revision\"><code>\(e(String((entry.revision ?? "").prefix(7))))</code></td><td data-label=\"Comment\">\(e(entry.comment ?? ""))</td></tr>\n"
        }
        main += "</tbody>\n</table>\n"
        return document("Log", frame: frame, model: model, main: main)
    }

    /// `/verify`: every record and the published ref checked again.
    public static func verify(_ model: DashboardModel, _ report: VerifyReport, frame: Frame) -> String {
        var main = "<h1>Verify</h1>\n<p>\(report.failed ? "<strong>Failed.</strong>" : "Passed.") \(report.verified) of \(report.total) records verified.</p>\n"
        let all = report.configurationFindings + report.publicationFindings + report.findings
        main += all.isEmpty ? "<p>No finding.</p>\n" : "<ul class=\"findings\">\n" + all.map { findingItem($0, article: nil) }.joined(separator: "\n") + "\n</ul>\n"
        return document("Verify", frame: frame, model: model, main: main)
    }

    /// A page for an error (404, 400, 403), with what to do.
    public static func error(_ title: String, _ message: String, frame: Frame) -> String {
        document(title, frame: frame, model: nil, main: "<h1>\(e(title))</h1>\n<p>\(e(message))</p>\n<p><a href=\"/\">Back to the dashboard</a></p>\n")
    }
}

/// What changed in an article since its last full approval.
public enum ArticleChange: Sendable {
    case neverApproved
    case unchanged
    /// From the approved revision (a blob id), word by word.
    case changed(from: String, WordDiff)
}
