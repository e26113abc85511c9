import Paths

/// What the `published` ref records about each published article (`published.json` at the
/// root of its tree), so the site can be rendered from the ref alone.
public struct PublishedManifest: Codable, Sendable, Equatable {
    public struct Reviewer: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var credentials: String
        /// The role reviewed in (two, comma-separated, when one person reviewed in both).
        public var role: String
        public var date: Day

        /// Whether this review was in the medical role.
        public var isMedical: Bool { role.split(separator: ",").contains { $0.filter { $0 != " " } == "medical" } }

        public init(id: String, name: String, credentials: String, role: String, date: Day) {
            self.id = id
            self.name = name
            self.credentials = credentials
            self.role = role
            self.date = date
        }
    }

    /// A disclaimer as the page shows it: the current canonical text, set apart from the body,
    /// in place of the paragraph the reviewers saw (`replaces`, when that was an older wording).
    public struct Disclaimer: Codable, Sendable, Equatable {
        public var id: String
        public var text: String
        public var replaces: String?

        public init(id: String, text: String, replaces: String? = nil) {
            self.id = id
            self.text = text
            self.replaces = replaces
        }
    }

    /// A translation's source, as its page names it: "Translated from the English version
    /// reviewed on 9 April 2026" (issue 37). `reviewed`: the day the source revision the
    /// translation was made from became fully approved (`nil`: not known, or never).
    public struct TranslatedFrom: Codable, Sendable, Equatable {
        public var source: GitPath
        public var language: String
        public var reviewed: Day?

        public init(source: GitPath, language: String, reviewed: Day?) {
            self.source = source
            self.language = language
            self.reviewed = reviewed
        }
    }

    public struct Article: Codable, Sendable, Equatable {
        public var path: GitPath
        public var slug: String
        public var title: String
        public var category: String
        public var revision: String
        public var lastUpdated: Day?
        public var lastReviewed: Day
        public var nextReviewDue: Day?
        public var reviewers: [Reviewer]
        /// Set when the review is overdue and the category keeps the page with a notice.
        public var overdueSince: Day?
        public var summary: String?
        /// The day the article was first published (JSON-LD `datePublished`).
        public var firstPublished: Day?
        public var disclaimers: [Disclaimer]?
        /// Repository paths of the files published beside the page (under `assets/` on the site).
        public var assets: [String]?
        /// The front matter's `authors` of the published revision (the page's byline).
        public var authors: [String]?
        /// Where the article is a translation: its source (issue 37).
        public var translatedFrom: TranslatedFrom?
        /// The reviewed revisions' public change notes, most recent first ("What changed").
        public var changes: [PublishPlan.ChangeNote]?
        /// The day of the publication that last replaced its revision after it was first
        /// published (the feed's "Updated"); `nil` while it is as first published.
        public var updatedOn: Day?

        public init(path: GitPath, slug: String, title: String, category: String, revision: String, lastUpdated: Day?,
                    lastReviewed: Day, nextReviewDue: Day?, reviewers: [Reviewer]) {
            self.path = path
            self.slug = slug
            self.title = title
            self.category = category
            self.revision = revision
            self.lastUpdated = lastUpdated
            self.lastReviewed = lastReviewed
            self.nextReviewDue = nextReviewDue
            self.reviewers = reviewers
        }
    }

    public var articles: [Article]
    /// Articles a signed retraction keeps down: each keeps a page saying it was withdrawn,
    /// when and why (absent when there are none, so older manifests read the same).
    public var withdrawn: [PublishPlan.Withdrawal]?
    /// The site's title, language and base URL, as the policy said at publishing.
    public var site: Policy.Site?

    public static let path: GitPath = "published.json"

    public init(articles: [Article], site: Policy.Site? = nil) {
        self.articles = articles
        self.site = site
    }

    /// - Parameters:
    ///   - previous: the manifest published before, for each article's first publication day.
    ///   - asOf: today, the first publication day of articles new to the site.
    public init(plan: PublishPlan, site: Policy.Site? = nil, previous: PublishedManifest? = nil, asOf: Day? = nil) {
        let before = Dictionary((previous?.articles ?? []).map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        let first = Dictionary((previous?.articles ?? []).compactMap { a in a.firstPublished.map { (a.slug, $0) } },
                               uniquingKeysWith: { a, _ in a })
        articles = plan.entries.map { entry in
            var article = Article(path: entry.path, slug: entry.slug, title: entry.title, category: entry.category, revision: entry.blob,
                                  lastUpdated: entry.lastUpdated, lastReviewed: entry.lastReviewed, nextReviewDue: entry.nextReviewDue,
                                  reviewers: Self.reviewers(entry.approvals))
            article.overdueSince = entry.overdueSince
            article.summary = entry.summary
            article.firstPublished = first[entry.slug] ?? asOf
            article.disclaimers = entry.disclaimers.isEmpty ? nil : entry.disclaimers
            article.assets = entry.linkedFiles.isEmpty ? nil : entry.linkedFiles.map(\.text)
            article.authors = entry.authors.isEmpty ? nil : entry.authors
            article.translatedFrom = entry.translatedFrom
            article.changes = entry.changeNotes.isEmpty ? nil : entry.changeNotes
            article.updatedOn = before[entry.slug].flatMap { $0.revision != entry.blob ? asOf : $0.updatedOn }
            return article
        }
        withdrawn = plan.withdrawals.isEmpty ? nil : plan.withdrawals
        self.site = site
    }

    public var json: String { JSONOutput.encode(self) }

    /// Each reviewer once, in role order: a reviewer who holds two of the roles (where the
    /// policy allows it) is listed with both, and the older of their two review dates.
    static func reviewers(_ reviews: [Approval]) -> [Reviewer] {
        var out: [Reviewer] = []
        for review in reviews {
            if let i = out.firstIndex(where: { $0.id == review.reviewer }) {
                out[i].role += ", " + review.role
                out[i].date = min(out[i].date, review.date)
            } else {
                out.append(Reviewer(id: review.reviewer, name: review.reviewerName ?? review.reviewer, credentials: review.credentials ?? "",
                                    role: review.role, date: review.date))
            }
        }
        return out
    }
}
