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
            if case .withdrawn(let w, _) = change {
                return Publication(heldBack: "withdrawn: retracted on \(w.date) by \(w.reviewerName) (\(w.role)): \(w.reason)")
            }
        }
        return Publication(heldBack: "not publishable")
    }

    /// The page `review publish` would write for the article now (its newest publishable
    /// revision), or, while nothing is publishable, the current revision drawn by the same
    /// renderer (``publication(_:_:configuration:)`` says why it is held back).
    /// - Parameter footer: the repository's footer (`Reviews/site/footer.md`), as publish adds it.
    public static func page(_ facts: ArticleFacts, _ status: ArticleStatus, configuration: WorkflowConfiguration, footer: String? = nil) -> String {
        let plan = plan(facts, status, configuration)
        return page(facts, status, configuration: configuration, revision: plan.entries.first?.blob ?? facts.blob, footer: footer) ?? ""
    }

    /// One revision of the article drawn as the site draws pages: the revision `review publish`
    /// would publish, exactly as it would write it; the current revision (the one the desk's
    /// form signs), with the reviewers who approved it so far; or an earlier revision the
    /// records name (the one on `published`, say), with no reviewer line. `nil` for a revision
    /// the article's facts do not hold (the page that asked was loaded before a new commit).
    public static func page(_ facts: ArticleFacts, _ status: ArticleStatus, configuration: WorkflowConfiguration, revision: String,
                            footer: String? = nil) -> String? {
        let plan = plan(facts, status, configuration)
        let content = configuration.policy.content
        var site = configuration.policy.site
        site.footer = footer.map { MarkdownHTML.render($0, links: SiteLinks(articlePath: SiteRenderer.footerPath, content: content)) }
        if let entry = plan.entries.first, entry.blob == revision {
            let manifest = PublishedManifest(plan: plan, site: site, asOf: configuration.asOf)
            let body = entry.blob == facts.blob ? facts.article.body : facts.revisions[entry.blob]?.article.body ?? ""
            return SiteRenderer.page(manifest.articles[0], body: body, site: site, content: content)
        }
        let article: Article
        var reviewers: [PublishedManifest.Reviewer] = []
        if revision == facts.blob {
            article = facts.article
            reviewers = PublishedManifest.reviewers(status.approvals.filter { $0.current && $0.revision == revision })
        } else if let earlier = facts.revisions[revision]?.article {
            article = earlier
        } else {
            return nil
        }
        var draft = PublishedManifest.Article(path: status.path, slug: content.pageName(of: status.path), title: article.title ?? status.title ?? status.slug,
                                              category: article.category ?? status.category ?? "", revision: revision,
                                              lastUpdated: article.lastUpdated, lastReviewed: status.lastReviewed ?? configuration.asOf,
                                              nextReviewDue: nil, reviewers: reviewers)
        draft.summary = article.summary
        draft.authors = article.authors.isEmpty ? nil : article.authors
        return SiteRenderer.page(draft, body: article.body, site: site, content: content)
    }
}
