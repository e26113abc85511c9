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

    public struct Article: Codable, Sendable, Equatable {
        public var path: String
        public var slug: String
        public var title: String
        public var category: String
        public var revision: String
        public var lastUpdated: Day?
        public var lastReviewed: Day
        public var nextReviewDue: Day?
        public var reviewers: [Reviewer]

        public init(path: String, slug: String, title: String, category: String, revision: String, lastUpdated: Day?,
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

    public static let path = "published.json"

    public init(articles: [Article]) { self.articles = articles }

    public init(plan: PublishPlan) {
        articles = plan.entries.map { entry in
            Article(path: entry.path, slug: entry.slug, title: entry.title, category: entry.category, revision: entry.blob,
                    lastUpdated: entry.lastUpdated, lastReviewed: entry.lastReviewed, nextReviewDue: entry.nextReviewDue,
                    reviewers: Self.reviewers(entry.approvals))
        }
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
