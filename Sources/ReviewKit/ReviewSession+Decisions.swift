import Paths
import SystemCrypto
import GitKit
import ReviewCore

extension ReviewSession {
    /// Recording decisions: `approve` (with its change note), `request-changes` and `retract`,
    /// signed with the reviewer's key here, or in the reviewer's browser (`review serve`), each
    /// checked exactly as `status` will judge it and committed onto the checked-out branch.
    public struct Decisions: SessionUseCase {
        let session: ReviewSession
    }
}

extension ReviewSession.Decisions {
    /// Opens the repository at `path` (``ReviewSession/open(_:options:)``) for this use case alone.
    public static func open(_ path: String?, options: ReviewSession.Options = ReviewSession.Options()) throws(ReviewError) -> Self {
        Self(session: try ReviewSession.open(path, options: options))
    }

    /// Refuses a key directory inside this repository's work tree or git directory: a private
    /// key there is one `git add` away from being published.
    public func checkKeyDirectory(_ store: KeyStore) throws(ReviewError) { try session.checkKeyDirectory(store) }

    /// `review approve` / `review request-changes`: checks the request exactly as `status` would
    /// judge the record, signs it and commits it onto the checked-out branch.
    ///
    /// - Returns: the record and the new commit's id.
    public func record(_ request: SignOffRequest, key: Curve25519.Signing.PrivateKey) throws(ReviewError) -> (SignOff, String) {
        let (signOff, commit) = try SignOffWriter.record(request, in: repository, key: key)
        return (signOff, commit.hex)
    }

    /// The dashboard's approve and request-changes: a record the reviewer's browser signed,
    /// checked exactly as ``record(_:key:)`` checks, and committed through the same
    /// compare-and-swap path. The session holds no key and signs nothing.
    ///
    /// - Parameter now: the server's clock; the record must have been signed within
    ///   ``SignOffWriter/submissionWindow`` of it.
    public func record(signed signOff: SignOff, now: Int64) throws(ReviewError) -> (SignOffRecord, String) {
        let (record, commit) = try SignOffWriter.record(signed: signOff, now: now, in: repository)
        return (record, commit.hex)
    }

    /// Bulk `review approve`: one record per article, each checked as a single one, one commit;
    /// nothing is written when any is refused.
    public func record(_ requests: [SignOffRequest], key: Curve25519.Signing.PrivateKey) throws(ReviewError) -> ([SignOffRecord], String) {
        let (records, commit) = try SignOffWriter.record(requests, in: repository, key: key)
        return (records, commit.hex)
    }

    /// The paths of the articles at `HEAD` below `folder` (a path from the repository root).
    public func articlePaths(inFolder folder: String) throws(ReviewError) -> [GitPath] {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        let head = try ReviewError.wrapping { try repository.headCommit() }
        let paths = try ArticleLookup.articles(in: repository, at: head).articles.map(\.path).filter { $0.hasPrefix(prefix) }.sorted()
        guard !paths.isEmpty else {
            throw ReviewError(file: folder, "holds no article at HEAD", remedy: "give a folder under \(RepositorySnapshot.articlesDirectory)/ that holds articles")
        }
        return paths
    }
}
