import Paths

/// The page an article will have on the site, for the dashboard's preview. Pure.
public enum SitePreview {
    /// What `review publish` would do with the article now.
    public struct Publication: Sendable, Equatable {
        /// The revision it would publish (the current one, or the newest approved earlier one).
        public var revision: String?
        /// Why nothing would be published, when nothing would.
        public var heldBack: String?
    }

    public static func publication(_ facts: ArticleFacts, _ status: ArticleStatus, configuration: WorkflowConfiguration) -> Publication {
        publication(plan(facts, status, configuration))
    }

    static func plan(_ facts: ArticleFacts, _ status: ArticleStatus, _ configuration: WorkflowConfiguration) -> PublishPlan {
        PublishPlan.make([facts], statuses: [status], configuration: configuration, previous: [:])
    }

    static func publication(_ plan: PublishPlan) -> Publication {
        if let entry = plan.entries.first { return Publication(revision: entry.blob) }
        for change in plan.changes {
            if case .heldBack(_, let why) = change { return Publication(heldBack: why) }
        }
        return Publication(heldBack: "not publishable")
    }

    /// The page `review publish` would write for the article now (its newest publishable
    /// revision), or, while nothing is publishable, the current revision drawn by the same
    /// renderer (``publication(_:_:configuration:)`` says why it is held back).
    public static func page(_ facts: ArticleFacts, _ status: ArticleStatus, configuration: WorkflowConfiguration) -> String {
        let plan = plan(facts, status, configuration)
        let site = configuration.policy.site
        let content = configuration.policy.content
        if let entry = plan.entries.first {
            let manifest = PublishedManifest(plan: plan, site: site, asOf: configuration.asOf)
            let body = entry.blob == facts.blob ? facts.article.body : facts.revisions[entry.blob]?.article.body ?? ""
            return SiteRenderer.page(manifest.articles[0], body: body, site: site, content: content)
        }
        let draft = PublishedManifest.Article(path: status.path, slug: content.pageName(of: status.path), title: status.title ?? status.slug,
                                              category: status.category ?? "", revision: facts.blob, lastUpdated: status.lastUpdated,
                                              lastReviewed: status.lastReviewed ?? configuration.asOf, nextReviewDue: nil, reviewers: [])
        return SiteRenderer.page(draft, body: facts.article.body, site: site, content: content)
    }
}
