import Paths
import Foundation
import GitKit
import ReviewCore

extension ReviewSession {
    /// Publishing: moves `refs/heads/published` to what is approved, signs the publication
    /// where the root lists publisher keys, and renders the site with its verification bundles.
    public struct Publishing: SessionUseCase {
        let session: ReviewSession
    }
}

extension ReviewSession.Publishing {
    /// Opens the repository at `path` (``ReviewSession/open(_:options:)``) for this use case alone.
    public static func open(_ path: String?, options: ReviewSession.Options = ReviewSession.Options()) throws(ReviewError) -> Self {
        Self(session: try ReviewSession.open(path, options: options))
    }

    /// Refuses a key directory inside this repository's work tree or git directory: a private
    /// key there is one `git add` away from being published.
    public func checkKeyDirectory(_ store: KeyStore) throws(ReviewError) { try session.checkKeyDirectory(store) }

    /// `review publish`: plans and (unless `dryRun`) commits the published tree.
    ///
    /// - Parameter signer: a publisher key the root lists (required when it lists any).
    /// - Parameter acceptRewrite: publish from a history rewritten since the last signed
    ///   publication (``RuleID/historyRewritten``), with a publisher key: the new signed
    ///   publication attests the new history.
    public func publish(asOf: Day, dryRun: Bool, now: Int64, allowRemovals: Bool = false,
                        signer: Publisher.Signer? = nil, acceptRewrite: Bool = false) throws(ReviewError) -> Publisher.Outcome {
        try Publisher.publish(repository: repository, asOf: asOf, dryRun: dryRun, author: committer(now), allowRemovals: allowRemovals,
                              signer: signer, pinnedRoot: pin, acceptRewrite: acceptRewrite)
    }

    /// Renders what `refs/heads/published` holds into `directory`; returns the page count.
    ///
    /// Review owns only the files it wrote there (``SiteDirectory``): the repository, its git
    /// directory, `/`, the home directory and a non-empty directory it did not write (unless
    /// `intoExisting`) are refused before anything is written.
    public func renderSite(to directory: String, intoExisting: Bool = false) throws(ReviewError) -> Int {
        try Publisher.renderSite(repository: repository, to: directory, intoExisting: intoExisting)
    }

    /// Refuses a `--site` directory review may not write, before anything else is done.
    public func checkSiteDirectory(_ directory: String, intoExisting: Bool) throws(ReviewError) {
        _ = try SiteDirectory(directory, repository: repository, intoExisting: intoExisting)
    }
}
