import Paths

/// Where things live in a content repository (the contract's file layout), spelled once.
public enum ContentLayout {
    /// Articles: `Articles/…/<slug>.md`.
    public static let articlesDirectory = "Articles"
    /// Review configuration and records.
    public static let reviewsDirectory = "Reviews"
    /// Canonical disclaimer texts: `Reviews/disclaimers/<id>.md`.
    public static let disclaimersDirectory = "Reviews/disclaimers"
    /// One file per sign-off decision: `Reviews/signoffs/<slug>/…`.
    public static let signOffsDirectory = "Reviews/signoffs"
    /// The ref `review publish` moves.
    public static let publishedReference = "refs/heads/published"
    /// The rendered site on the published ref (`_site/<page>.html`, the index, the sitemap, the
    /// stylesheet): made by `publish`, named by its signed statement, copied by `--site`.
    public static let publishedSiteDirectory: GitPath = "_site"
}
