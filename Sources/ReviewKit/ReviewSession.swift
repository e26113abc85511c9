import Paths
import SystemCrypto
import Foundation
import GitKit
import BinaryStore
import ReviewCore

/// One opened content repository, shared by the use cases over it: every question `review`
/// answers and every change it makes goes through one of them, for the command line, the tests
/// and the web dashboard alike.
///
/// | use case | answers or does | front ends |
/// |---|---|---|
/// | ``reading`` (``Reading``) | status, check, verify, due, diff, log, last changes, evaluations, revisions' bytes | the reading commands, `review serve` |
/// | ``decisions`` (``Decisions``) | approvals, requests for changes, retractions, change notes: signed in the terminal or in the browser | `approve`, `request-changes`, `retract`, `review serve` |
/// | ``governance`` (``Governance``) | the root of trust, signing configuration changes, reroots, the reviewers list | `governance …`, `reviewer add/retire/rotate-key`, `init --sign-as` |
/// | ``publishing`` (``Publishing``) | the published ref, the rendered site and its bundles | `publish` |
/// | ``authoring`` (``Authoring``) | a new repository, a new article, the findings baseline | `init`, `new`, `baseline`, `keygen` |
///
/// Each use case is a small value over this session's one repository handle, pin and caches: a
/// front end keeps only the ones it uses, and the compiler refuses it the others (the web
/// dashboard holds ``Reading`` and ``Decisions``, never a whole session).
///
/// Reading is done by ``RepositorySnapshot``, judging by the pure ``WorkflowEngine``; the use
/// cases wire them together so that each fact (an article's history, which records count,
/// whether two revisions are equivalent, when it was last reviewed) is computed in exactly one
/// place. Writers (``Decisions``, ``Publishing``, ``Governance``) judge with exactly what
/// ``Reading/status(asOf:articles:)`` would.
///
/// A session holds one libgit2 repository handle, so it is used from one thread at a time
/// (libgit2 wants that); open one session per thread. The caches it may read and write under
/// the git directory are safe to share between sessions and processes.
public final class ReviewSession {
    /// How a session reads.
    public struct Options: Sendable {
        /// Use and extend the caches under `<git dir>/review/` (the history index and parsed
        /// articles). Answers are the same without them, only slower.
        public var usesCaches: Bool
        /// The trust root's fingerprint given outside the repository (`--trust-root`, or
        /// `REVIEW_TRUST_ROOT` as ``trustRootSource`` says).
        public var trustRoot: String?
        public var trustRootSource: TrustPin.Source = .option
        /// The per-user known-roots file, consulted when no fingerprint is given and written
        /// on first use outside CI (`nil`: none; what library callers and tests get).
        public var knownRoots: KnownRoots?
        /// Running in CI (`CI=true`): nothing is trusted on first use, and `check` of a governed
        /// repository read against no pin is a blocking `trust-root-required`.
        public var inCI = false

        public init(usesCaches: Bool = true, trustRoot: String? = nil) {
            self.usesCaches = usesCaches
            self.trustRoot = trustRoot
        }
    }

    /// Told how far a long step has got: its name, items done, items in all (when known).
    public typealias Progress = (String, Int, Int?) -> Void

    let repository: Repository
    public let options: Options
    /// The pin every read of this session uses, and where it came from (``TrustPins``).
    public let pin: TrustPin?
    /// Said once, when this session recorded the root in the known-roots file.
    public let pinNotice: String?
    /// Said once when this session would use caches but has no cache key (``CacheKey/userProblem``):
    /// every run would be a cold one, and nothing else would say why.
    public var cacheNotice: String? { options.usesCaches ? CacheKey.userProblem.map(TerminalSafe.clean) : nil }
    /// Called on the calling thread during long reads (for a progress line).
    public var progress: Progress?

    init(repository: Repository, options: Options) throws(ReviewError) {
        self.repository = repository
        self.options = options
        (pin, pinNotice) = try TrustPins.resolve(repository, options: options)
    }

    /// Opens the repository at `path` (a work tree, its `.git`, or a bare repository), or the one
    /// containing the current directory when `path` is `nil`.
    ///
    /// A `path` inside a work tree (a subfolder) opens the repository containing it, as
    /// `git -C` does; a path that does not exist says so.
    public static func open(_ path: String?, options: Options = Options()) throws(ReviewError) -> ReviewSession {
        if let path, !FileManager.default.fileExists(atPath: path) {
            throw ReviewError(file: path, "no such file or directory", remedy: "pass --repo the path of a content repository (or a folder in it)")
        }
        let repository: Repository
        do {
            repository = try Repository.discover(startingAt: path ?? FileManager.default.currentDirectoryPath)
        } catch {
            throw ReviewError(error)
        }
        return try ReviewSession(repository: repository, options: options)
    }

    /// Waits until the cache files this process started writing are written (a command
    /// calls it before it exits; reads in the process wait for them anyway).
    public static func finishCacheWrites() { CacheWrites.wait() }

    /// Reading state: what `status`, `check`, `verify`, `due`, `diff`, `log` and the dashboard show.
    public var reading: Reading { Reading(session: self) }

    /// Recording decisions: sign-offs and retractions, signed here or in a reviewer's browser.
    public var decisions: Decisions { Decisions(session: self) }

    /// Governance: the root of trust, configuration signatures, and changes to the reviewers.
    public var governance: Governance { Governance(session: self) }

    /// Publishing: the published ref and the rendered site.
    public var publishing: Publishing { Publishing(session: self) }

    /// Authoring and setup: new articles and the findings baseline (a new repository:
    /// ``Authoring/initialise(at:now:root:)``).
    public var authoring: Authoring { Authoring(session: self) }

    /// The work tree's path, ending in `/` (`nil` for a bare repository).
    public var workingDirectory: String? { repository.workingDirectory }

    /// The commit `HEAD` points to, as 40 hex digits.
    public func head() throws(ReviewError) -> String {
        try ReviewError.wrapping { try repository.headCommit().hex }
    }

    // MARK: Shared by the use cases

    /// Everything at `HEAD`, judged as of `asOf`, with the articles' bodies only where `bodies` says.
    func evaluate(asOf: Day, bodies: BodyNeed) throws(ReviewError) -> Evaluation {
        let head = try ReviewError.wrapping { try repository.headCommit() }
        let snapshot = try RepositorySnapshot.load(from: repository, revision: head, usesCaches: options.usesCaches, progress: progress,
                                                   pinnedRoot: pin, bodies: bodies)
        let evaluation = Evaluation(snapshot: snapshot, asOf: asOf)
        // Every command that evaluates the site answers from it and ends (``Teardown``).
        Teardown.release(evaluation)
        return evaluation
    }

    /// Refuses a key directory inside this repository's work tree or git directory: a private
    /// key there is one `git add` away from being published.
    func checkKeyDirectory(_ store: KeyStore) throws(ReviewError) {
        let keys = SiteDirectory.resolved(URL(fileURLWithPath: store.directory).standardizedFileURL).path + "/"
        for place in [repository.workingDirectory, repository.gitDirectory].compactMap({ $0 }) {
            let root = SiteDirectory.resolved(URL(fileURLWithPath: place).standardizedFileURL).path + "/"
            if keys.hasPrefix(root) {
                throw ReviewError(file: store.directory, "the private-key directory is inside the content repository (\(root))",
                                  remedy: "keep keys outside it: set REVIEW_KEY_DIR to a folder such as ~/.config/review/keys and move the keys there")
            }
        }
    }

    /// The configured user (`user.name`, `user.email`), or "review".
    func committer(_ now: Int64) -> Signature {
        repository.configuredSignature(time: now) ?? Signature(name: "review", email: "review@localhost", time: now)
    }
}

/// What each use case reads from the session it shares.
protocol SessionUseCase {
    var session: ReviewSession { get }
}

extension SessionUseCase {
    var repository: Repository { session.repository }
    var options: ReviewSession.Options { session.options }
    var pin: TrustPin? { session.pin }
    var progress: ReviewSession.Progress? { session.progress }
    func committer(_ now: Int64) -> Signature { session.committer(now) }
}
