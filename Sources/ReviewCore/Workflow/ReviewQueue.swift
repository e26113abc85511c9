import Paths

/// `review due`: what each role (and reviewer) must review, ordered by due date: articles
/// awaiting a required role now, and approved ones whose periodic review is due soon or overdue.
public struct ReviewQueue: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var path: GitPath
        public var slug: String
        public var title: String
        public var role: String
        /// When the review is due (today for an article awaiting review).
        public var due: Day
        public var overdue: Bool
        /// Why it is in the queue, in words.
        public var reason: String
        /// Reviewers who hold the role with a key valid today.
        public var reviewers: [String]
        /// Who answers for the article (front matter `owners`, or the policy's `owners:` globs).
        public var owners: [String]
    }

    /// An article that goes live (`publish-on`), comes down (`unpublish-on`) or was retracted
    /// within the window ``scheduleDays`` from today (issue 38).
    public struct Scheduled: Sendable, Equatable {
        public enum Kind: String, Sendable { case goesLive = "goes-live", comesDown = "comes-down" }
        public var path: GitPath
        public var slug: String
        public var title: String
        public var kind: Kind
        public var day: Day
        /// In words, with whether it is approved to go live.
        public var note: String
    }

    /// How far ahead `due` and the dashboard look for scheduled publishing.
    public static let scheduleDays = 30

    public var asOf: Day
    public var items: [Item]
    /// What goes live or comes down in the next ``scheduleDays`` days, by day.
    public var schedule: [Scheduled] = []

    /// - Parameters:
    ///   - reviewer: only what this reviewer can do (a role they hold).
    ///   - within: only periodic reviews due within this many days (awaiting reviews always).
    public static func make(_ articles: [ArticleFacts], statuses: [ArticleStatus], configuration: WorkflowConfiguration,
                            reviewer: Reviewer? = nil, within: Int? = nil) -> ReviewQueue {
        let asOf = configuration.asOf
        let facts = Dictionary(articles.map { ($0.article.path, $0) }, uniquingKeysWith: { a, _ in a })
        var items: [Item] = []
        for status in statuses where !status.isRetired {
            guard let category = status.category.flatMap({ configuration.policy.categories[$0] }) else { continue }
            let owners = Self.owners(of: status.path, article: facts[status.path]?.article, policy: configuration.policy)
            func item(_ role: String, due: Day, reason: String) -> Item {
                Item(path: status.path, slug: status.slug, title: status.title ?? status.slug, role: role, due: due, overdue: due < asOf,
                     reason: reason,
                     reviewers: configuration.reviewers.filter { $0.roles.contains(role) && $0.isValid(on: asOf) }.map(\.id), owners: owners)
            }
            // An article awaiting review whose review date has passed is overdue as `status` counts
            // it: its reviews are due on that date, not today, so the two commands agree.
            let late = status.freshness == .overdue ? status.nextReviewDue.flatMap { $0 < asOf ? $0 : nil } : nil
            let lateText = late.map { "; review overdue since \($0)" } ?? ""
            switch status.state {
            case .draft, .inReview:
                for role in status.missingRoles {
                    items.append(item(role, due: late ?? asOf, reason: "awaiting \(role) review (\(status.state.rawValue))" + lateText))
                }
            case .changesRequested:
                for role in status.missingRoles {
                    items.append(item(role, due: late ?? asOf, reason: "changes requested; review the edit once it lands" + lateText))
                }
            case .approved, .published:
                guard let due = status.nextReviewDue, status.freshness != .fresh || within.map({ due <= asOf.adding(days: $0) }) == true else { continue }
                for role in category.requiredRoles {
                    items.append(item(role, due: due, reason: due < asOf ? "periodic review overdue since \(due)" : "periodic review due \(due)"))
                }
            }
        }
        // Translations behind their reviewed source (issue 37): due since the source's newer
        // revision was approved, for each role the translation needs.
        for status in statuses where !status.isRetired && status.translation?.outdated == true {
            guard let translation = status.translation, let article = facts[status.path],
                  status.category.flatMap({ configuration.policy.categories[$0] }) != nil else { continue }
            let why = "translation behind \(translation.source)"
                + (translation.sourceReviewed.map { ", approved \($0)" } ?? "") + "; update it, then review"
            let due = min(translation.sourceReviewed ?? asOf, asOf)
            for role in WorkflowEngine.requiredRoles(article, configuration) {
                if let i = items.firstIndex(where: { $0.path == status.path && $0.role == role }) {
                    items[i].reason += "; " + why
                    items[i].due = min(items[i].due, due)
                    items[i].overdue = items[i].due < asOf
                } else {
                    items.append(Item(path: status.path, slug: status.slug, title: status.title ?? status.slug, role: role, due: due,
                                      overdue: due < asOf, reason: why,
                                      reviewers: configuration.reviewers.filter { $0.roles.contains(role) && $0.isValid(on: asOf) }.map(\.id),
                                      owners: Self.owners(of: status.path, article: article.article, policy: configuration.policy)))
                }
            }
        }
        if let reviewer { items = items.filter { reviewer.roles.contains($0.role) } }
        if let within { items = items.filter { $0.due <= asOf.adding(days: within) } }
        items.sort { ($0.due, $0.path, $0.role) < ($1.due, $1.path, $1.role) }
        return ReviewQueue(asOf: asOf, items: items, schedule: schedule(facts, statuses: statuses, asOf: asOf))
    }

    /// What goes live or comes down from today to ``scheduleDays`` days ahead: the dates of the
    /// revision `publish` would use (the approved one), else of the current text.
    static func schedule(_ facts: [GitPath: ArticleFacts], statuses: [ArticleStatus], asOf: Day) -> [Scheduled] {
        let end = asOf.adding(days: scheduleDays)
        var out: [Scheduled] = []
        for status in statuses where !status.isRetired {
            guard let fact = facts[status.path] else { continue }
            let approved = status.state == .approved || status.state == .published
            let article = approved ? fact.article : status.lastApprovedRevision.flatMap { fact.revisions[$0]?.article } ?? fact.article
            let ready = approved || status.lastApprovedRevision != nil
            let title = article.title ?? status.slug
            if let on = article.publishOn, on >= asOf, on <= end {
                out.append(Scheduled(path: status.path, slug: status.slug, title: title, kind: .goesLive, day: on,
                                     note: "goes live \(on) (publish-on)" + (status.retraction != nil ? "; retracted, so it stays down"
                                         : ready ? "" : "; not approved yet (\(status.state.rawValue))")))
            }
            if let off = article.unpublishOn, off >= asOf, off <= end {
                out.append(Scheduled(path: status.path, slug: status.slug, title: title, kind: .comesDown, day: off,
                                     note: "comes down \(off) (unpublish-on)"))
            }
        }
        return out.sorted { ($0.day, $0.path) < ($1.day, $1.path) }
    }

    /// How many articles the reviews are for (a review is one role's, so an article needing
    /// two roles is two reviews).
    public var articleCount: Int { Set(items.map(\.path)).count }

    /// How many of those articles are overdue: the unit `status` counts `overdue` in.
    public var overdueArticleCount: Int { Set(items.filter(\.overdue).map(\.path)).count }
}

extension ReviewQueue {
    /// Who answers for an article: its front matter's `owners`, else the first of the policy's
    /// `owners:` globs that matches its path.
    public static func owners(of path: GitPath, article: Article?, policy: Policy) -> [String] {
        let own = article?.frontMatter.first { $0.key == "owners" }?.value.strings ?? []
        return own.isEmpty ? policy.owners.first { $0.glob.matches(path) }?.owners ?? [] : own
    }
}

/// How `review due` writes its queue.
public enum QueueFormat: String, CaseIterable, Sendable {
    case table, json, markdown, ics

    public func render(_ queue: ReviewQueue) -> String {
        switch self {
        case .table: QueueReporters.table(queue)
        case .json: QueueReporters.json(queue)
        case .markdown: QueueReporters.markdown(queue)
        case .ics: QueueReporters.calendar(queue)
        }
    }
}

enum QueueReporters {
    static func table(_ queue: ReviewQueue) -> String {
        guard !queue.items.isEmpty else { return "Nothing to review as of \(queue.asOf).\n" + scheduleTable(queue) }
        var out = ""
        for item in queue.items {
            let line = "\(item.due)  \(item.role)  \(item.slug)  \(item.reason)"
                + (item.reviewers.isEmpty ? "  (no reviewer holds this role)" : "  reviewers: \(item.reviewers.joined(separator: ", "))")
                + (item.owners.isEmpty ? "" : "  owners: \(item.owners.joined(separator: ", "))")
            out += TerminalSafe.clean(line) + "\n"
        }
        let articles = queue.articleCount, overdue = queue.overdueArticleCount
        out += "\(queue.items.count) review\(queue.items.count == 1 ? "" : "s") to do for \(articles) article\(articles == 1 ? "" : "s") as of \(queue.asOf)"
            + " (\(overdue) article\(overdue == 1 ? "" : "s") overdue, \(queue.items.filter(\.overdue).count) of the reviews)\n"
        return out + scheduleTable(queue)
    }

    /// "Scheduled in the next 30 days:" and a line each, when anything is.
    static func scheduleTable(_ queue: ReviewQueue) -> String {
        guard !queue.schedule.isEmpty else { return "" }
        return "Scheduled in the next \(ReviewQueue.scheduleDays) days:\n"
            + queue.schedule.map { TerminalSafe.clean("\($0.day)  \($0.kind.rawValue)  \($0.slug)  \($0.note)") + "\n" }.joined()
    }

    static func json(_ queue: ReviewQueue) -> String {
        JSONValue.object([
            ("articles", .int(queue.articleCount)),
            ("asOf", .string(queue.asOf.description)),
            ("items", .array(queue.items.map { item in
                .object([("due", .string(item.due.description)), ("overdue", .bool(item.overdue)), ("owners", .array(item.owners.map { .string($0) })),
                         ("path", .string(item.path.text)), ("reason", .string(item.reason)), ("reviewers", .array(item.reviewers.map { .string($0) })),
                         ("role", .string(item.role)), ("slug", .string(item.slug)), ("title", .string(item.title))])
            })),
            ("overdueArticles", .int(queue.overdueArticleCount)),
            ("schedule", .array(queue.schedule.map { item in
                .object([("day", .string(item.day.description)), ("kind", .string(item.kind.rawValue)), ("note", .string(item.note)),
                         ("path", .string(item.path.text)), ("slug", .string(item.slug)), ("title", .string(item.title))])
            })),
        ]).rendered
    }

    static func markdown(_ queue: ReviewQueue) -> String {
        var out = "### Reviews to do (as of \(queue.asOf))\n\n"
        let scheduled = queue.schedule.isEmpty ? "" : "\n### Scheduled in the next \(ReviewQueue.scheduleDays) days\n\n"
            + queue.schedule.map { "- \($0.day): \(MarkdownReporter.cell($0.title)) (`\(MarkdownReporter.cell($0.slug))`) \(MarkdownReporter.cell($0.note))\n" }.joined()
        guard !queue.items.isEmpty else { return out + "Nothing to review.\n" + scheduled }
        out += "| Due | Role | Article | Why | Reviewers | Owners |\n|---|---|---|---|---|---|\n"
        for item in queue.items {
            out += "| \(item.overdue ? "**\(item.due)**" : item.due.description) | \(item.role) | \(MarkdownReporter.cell(item.title)) (`\(MarkdownReporter.cell(item.slug))`) "
                + "| \(MarkdownReporter.cell(item.reason)) | \(item.reviewers.joined(separator: ", ")) | \(item.owners.joined(separator: ", ")) |\n"
        }
        return out + scheduled
    }

    /// iCalendar (RFC 5545): one all-day event per review on its due day, with a stable UID, so
    /// a reviewer's calendar subscription updates instead of duplicating.
    static func calendar(_ queue: ReviewQueue) -> String {
        let stamp = queue.asOf.description.filter { $0 != "-" } + "T000000Z"
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//review//due queue//EN", "CALSCALE:GREGORIAN", "X-WR-CALNAME:Medical reviews due"]
        for item in queue.items {
            let uid = SignOff.sha256Hex(Array("\(item.path)\u{0}\(item.role)\u{0}\(item.due)".utf8)).prefix(32)
            let day = item.due.description.filter { $0 != "-" }
            lines += ["BEGIN:VEVENT", "UID:\(uid)@review", "DTSTAMP:\(stamp)", "DTSTART;VALUE=DATE:\(day)",
                      "SUMMARY:" + escape("Review \(item.title) (\(item.role))"),
                      "DESCRIPTION:" + escape("\(item.reason). \(item.path)" + (item.reviewers.isEmpty ? "" : ". Reviewers: \(item.reviewers.joined(separator: ", "))")),
                      "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 5545 TEXT: backslash, semicolon, comma and newline escaped; control characters dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in TerminalSafe.clean(text).unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            default: if scalar.value >= 0x20 { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1),
    /// never splitting a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        var out = ""
        var count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                out += "\r\n "
                count = 1
            }
            out.append(character)
            count += size
        }
        return out
    }
}
