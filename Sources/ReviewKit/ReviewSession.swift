import Paths
import Crypto
import Foundation
import GitKit
import ReviewCore

/// The one façade over a content repository: every question `review` answers and every change
/// it makes goes through here, for the command line, the tests and the web dashboard alike.
///
/// Reading is done by ``RepositorySnapshot``, judging by the pure ``WorkflowEngine``; this type
/// wires them together so that each fact (an article's history, which records count, whether
/// two revisions are equivalent, when it was last reviewed) is computed in exactly one place.
/// Writers (``record(_:key:)``, ``publish(asOf:dryRun:now:)``, ``addReviewer(_:now:)``) judge
/// with exactly what ``status(asOf:articles:)`` would.
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

    /// `status` in `format`; JSON writes its articles on all cores (tens of megabytes for a
    /// large site), the same text as ``StatusJSONReporter/render(_:)``.
    public static func render(_ report: StatusReport, as format: StatusFormat) -> String {
        guard format == .json else { return format.reporter.render(report) }
        return StatusJSONReporter.render(report) { articles, write in articles.parallelMap(write) }
    }

    /// ``render(_:as:)``'s bytes in parts, in order (JSON: each article's object is a part), for
    /// writing out a large site's status without joining tens of megabytes first.
    public static func renderParts(_ report: StatusReport, as format: StatusFormat) -> [[UInt8]] {
        guard format == .json else { return [Array(format.reporter.render(report).utf8)] }
        return StatusJSONReporter.renderParts(report) { articles, write in articles.parallelMap(write) }
    }

    /// The work tree's path, ending in `/` (`nil` for a bare repository).
    public var workingDirectory: String? { repository.workingDirectory }

    /// The commit `HEAD` points to, as 40 hex digits.
    public func head() throws(ReviewError) -> String {
        try ReviewError.wrapping { try repository.headCommit().hex }
    }

    /// What the dashboard watches to know when to read again: `HEAD`'s commit and the
    /// published ref's, joined (any commit, publication or branch switch changes it).
    public func watchedRevisions() throws(ReviewError) -> String {
        try ReviewError.wrapping {
            let head = try repository.headCommit().hex
            let published = try repository.referenceTarget(Publisher.reference)?.hex ?? "-"
            return head + " " + published
        }
    }

    /// The bytes of a file revision (a blob id, 40 hex digits), for the dashboard's diff and the
    /// browser's own check of what it signs.
    public func blobBytes(_ blob: String) throws(ReviewError) -> [UInt8] {
        guard let id = ObjectID(hex: blob) else { throw ReviewError("'\(blob)' is not a blob id (40 hex digits)") }
        return try ReviewError.wrapping { try repository.blob(id) }
    }

    // MARK: Reading

    /// Everything at `HEAD`, judged as of `asOf`.
    public func evaluate(asOf: Day) throws(ReviewError) -> Evaluation {
        try evaluate(asOf: asOf, bodies: .all)
    }

    /// ``evaluate(asOf:)``, with the articles' bodies only where `bodies` says.
    private func evaluate(asOf: Day, bodies: BodyNeed) throws(ReviewError) -> Evaluation {
        let head = try ReviewError.wrapping { try repository.headCommit() }
        let snapshot = try RepositorySnapshot.load(from: repository, revision: head, usesCaches: options.usesCaches, progress: progress,
                                                   pinnedRoot: pin, bodies: bodies)
        let evaluation = Evaluation(snapshot: snapshot, asOf: asOf)
        // Every command that evaluates the site answers from it and ends (``Teardown``).
        Teardown.release(evaluation)
        return evaluation
    }

    /// `review status`: every article (or the named ones, by slug or path, in that order).
    public func status(asOf: Day, articles names: [String] = []) throws(ReviewError) -> StatusReport {
        // A report of what was evaluated: bodies are read only where evaluating reads them.
        let evaluation = try evaluate(asOf: asOf, bodies: .whereEvaluationReadsThem)
        guard !names.isEmpty else { return evaluation.report }
        var report = evaluation.report
        report.articles = try evaluation.selecting(names)
        report.otherFindings = evaluation.snapshot.trustFindings
        return report
    }

    /// `review check`: every article, or only those a change since `changedSince` touches.
    ///
    /// - Parameter requireTrustRoot: a root that is missing or not pinned is a blocking finding.
    ///   In CI (``Options/inCI``) a repository with a root read against no pin is one anyway.
    public func check(asOf: Day, changedSince: String? = nil, requireTrustRoot: Bool = false) throws(ReviewError) -> StatusReport {
        var report = try check(asOf: asOf, changedSince: changedSince)
        let weak = report.otherFindings.first { finding in
            finding.rule == .unpinnedTrustRoot || (requireTrustRoot && finding.rule == .ungovernedConfiguration)
        }
        if let weak, requireTrustRoot || options.inCI {
            let why = requireTrustRoot ? "this check requires a pinned trust root: " : "in CI (CI=true) a governed repository is read against a pinned root: "
            report.otherFindings.append(Finding(.trustRootRequired, path: weak.path, why + weak.message))
            report.otherFindings.sort()
        }
        return report
    }

    private func check(asOf: Day, changedSince: String?) throws(ReviewError) -> StatusReport {
        guard let changedSince else { return try evaluate(asOf: asOf, bodies: .whereEvaluationReadsThem).report }
        return try ReviewError.wrapping {
            let head = try repository.headCommit()
            let scope = try ChangeScope(repository: repository, since: changedSince, head: head)
            // Read only the articles in scope, walking history from the base when that suffices.
            let paths = scope.everything ? nil : try scope.articlePaths(repository: repository, head: head)
            let snapshot = try RepositorySnapshot.load(from: repository, revision: head, only: paths,
                                                       since: scope.everything ? nil : scope.base,
                                                       usesCaches: options.usesCaches, progress: progress, pinnedRoot: pin,
                                                       bodies: .whereEvaluationReadsThem)
            // With fragments on, an article is judged with its fragments, which a read limited to
            // the changed files may not hold: read everything, and keep the articles whose
            // fragments changed too.
            let full = snapshot.policy.fragments.isOn && paths != nil
                ? try RepositorySnapshot.load(from: repository, revision: head, usesCaches: options.usesCaches, progress: progress,
                                              pinnedRoot: pin, bodies: .whereEvaluationReadsThem)
                : snapshot
            let evaluation = Evaluation(snapshot: full, asOf: asOf)
            var report = evaluation.report
            report.articles = report.articles.filter { status in
                scope.includes(status) || evaluation.fragmentGraph.map { graph in
                    graph.closure(of: status.path).fragments.contains { scope.includesFile($0.path) || scope.includes(fragment: $0.path) }
                } == true
            }
            // Governance findings concern every article, whatever the change touched.
            report.otherFindings = report.otherFindings.filter { scope.includesFile($0.path) || snapshot.trustFindings.contains($0) }
            return report
        }
    }

    /// `review verify`: one finding per sign-off record that does not count.
    /// Also proves each article on `refs/heads/published` justified: signed by a publisher key
    /// (when the root lists any), and approved in every required role at HEAD.
    public func verify(asOf: Day) throws(ReviewError) -> VerifyReport {
        try verify(try evaluate(asOf: asOf))
    }

    /// `review verify` of an evaluation already made (the dashboard keeps one per revision).
    public func verify(_ evaluation: Evaluation) throws(ReviewError) -> VerifyReport {
        // Fragments' records are records too (docs/fragments.md).
        var report = VerifyReport(evaluation.snapshot.articles, statuses: evaluation.report.articles + evaluation.fragments,
                                  strayFindings: evaluation.snapshot.strayFindings, head: evaluation.head)
        report.configurationFindings = evaluation.snapshot.trustFindings.filter { $0.severity == .error }
        // A rewrite that erased what the last signed publication attests is about the published
        // record, not about a record file the branch holds.
        report.publicationFindings = try publicationFindings(evaluation) + evaluation.snapshot.strayFindings.filter { $0.rule == .historyRewritten }
        return report
    }

    /// What is wrong with `refs/heads/published` (nothing when there is no such ref).
    func publicationFindings(_ evaluation: Evaluation) throws(ReviewError) -> [Finding] {
        try ReviewError.wrapping { () throws -> [Finding] in
            guard let published = try repository.referenceTarget(Publisher.reference) else { return [] }
            let tree = try repository.commit(published).tree
            var files: [GitPath: String] = [:]
            for file in try repository.files(under: "", inTree: tree) { files[file.path] = file.id.hex }
            let envelope = try files[PublicationStatement.path].flatMap(ObjectID.init(hex:)).map { try repository.blob($0) }
            let layout = evaluation.snapshot.policy.content
            let policy = evaluation.snapshot.policy
            let configuration = evaluation.snapshot.configuration(asOf: evaluation.report.asOf)
            let articles = files.filter { layout.isArticle($0.key) && !policy.fragments.isFragment($0.key) }
                .map { PublicationCheck.PublishedArticle(path: $0.key, blob: $0.value) }.sorted { $0.path < $1.path }
            // A fragment on the ref must be at a revision approved in every role its category requires.
            var fragmentFindings: [Finding] = []
            let fragmentStatuses = Dictionary(evaluation.fragments.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
            let allFacts = Dictionary(evaluation.snapshot.articles.map { ($0.article.path, $0) }, uniquingKeysWith: { a, _ in a })
            for (path, blob) in files.sorted(by: { $0.key < $1.key }) where layout.isArticle(path) && policy.fragments.isFragment(path) {
                let required = fragmentStatuses[path].map { status in status.category.flatMap { policy.categories[$0] }?.requiredRoles ?? policy.roles } ?? policy.roles
                let approved = fragmentStatuses[path].flatMap { status in allFacts[path].map { facts in
                    let classes = RevisionClasses(facts, unreviewedFields: policy.unreviewedFields)
                    return required.allSatisfy { role in status.approvals.contains { $0.role == role && classes.key($0.revision) == classes.key(blob) } }
                } } ?? false
                if !approved {
                    fragmentFindings.append(Finding(.unjustifiedPublication, path: path,
                                                    "the published ref holds the fragment \(path.escaped) at \(blob.prefix(7)), which is not approved in every required role (\(required.joined(separator: ", "))); publish again from approved revisions"))
                }
            }
            let facts = Dictionary(evaluation.snapshot.articles.map { ($0.article.path, $0) }, uniquingKeysWith: { a, _ in a })
            let statuses = Dictionary(evaluation.report.articles.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
            return fragmentFindings + PublicationCheck.findings(envelope: envelope, files: files, articles: articles, root: evaluation.snapshot.governance.current?.root) { article in
                guard let facts = facts[article.path], let status = statuses[article.path] else {
                    return "is not an article on the branch any more"
                }
                guard status.category.flatMap({ policy.categories[$0] }) != nil else { return "has no category the policy knows" }
                let classes = RevisionClasses(facts, unreviewedFields: policy.unreviewedFields)
                // The roles the article needs: its category's, and a translation's own (issue 37).
                let missing = WorkflowEngine.requiredRoles(facts, configuration).filter { role in
                    !status.approvals.contains { $0.role == role && classes.key($0.revision) == classes.key(article.blob) }
                }
                return missing.isEmpty ? nil : "has no approval that counts in the \(missing.joined(separator: " and ")) role\(missing.count == 1 ? "" : "s")"
            }
        }
    }

    /// `review due`: the review queue, for one reviewer (by id) or everyone.
    public func due(asOf: Day, reviewer: String? = nil, within: Int? = nil) throws(ReviewError) -> ReviewQueue {
        try Self.queue(try evaluate(asOf: asOf), reviewer: reviewer, within: within)
    }

    /// The review queue of an evaluation already made, for one reviewer (by id) or everyone.
    public static func queue(_ evaluation: Evaluation, reviewer: String? = nil, within: Int? = nil) throws(ReviewError) -> ReviewQueue {
        let configuration = evaluation.snapshot.configuration(asOf: evaluation.report.asOf)
        let who = try reviewer.map { (id) throws(ReviewError) -> Reviewer in
            guard let found = configuration.reviewer(id) else {
                throw ReviewError(file: Reviewer.path, "no reviewer '\(id)' in the configuration in force", remedy: "see 'review reviewer list'")
            }
            return found
        }
        // A fragment awaiting review is on the queue too (its periodic review is its includers').
        let fragments = evaluation.fragments.filter { $0.state != .approved && $0.state != .published }
        return ReviewQueue.make(evaluation.snapshot.articles, statuses: evaluation.report.articles + fragments, configuration: configuration,
                                reviewer: who, within: within)
    }

    /// `review diff`: the article's changes since its last fully approved revision.
    public func diff(_ article: String, asOf: Day) throws(ReviewError) -> ArticleDiff {
        try diffWithFragments(article, asOf: asOf).article
    }

    /// ``diff(_:asOf:)``, and the same for each fragment the article includes (transitively)
    /// that is not approved at its current revision (docs/fragments.md): what readers would see
    /// change that no approval covers yet.
    public func diffWithFragments(_ article: String, asOf: Day) throws(ReviewError) -> (article: ArticleDiff, fragments: [ArticleDiff]) {
        let evaluation = try evaluate(asOf: asOf)
        let status = try evaluation.selecting([article])[0]
        var fragments: [ArticleDiff] = []
        if let graph = evaluation.fragmentGraph {
            let byPath = Dictionary(evaluation.fragments.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
            for fragment in graph.closure(of: status.path).fragments {
                guard let state = byPath[fragment.path], state.state != .approved, state.state != .published else { continue }
                fragments.append(try diff(state))
            }
        }
        return (try diff(status), fragments)
    }

    private func diff(_ status: ArticleStatus) throws(ReviewError) -> ArticleDiff {
        guard let approved = status.lastApprovedRevision else { return .neverApproved(status) }
        guard approved != status.revision else { return .unchanged(status) }
        let patch = try patch(status, from: approved)
        return .changed(status, patch: patch.text, added: patch.linesAdded, removed: patch.linesRemoved)
    }

    /// For `status ARTICLE`: "unchanged since its approval", "+3 -1 lines since …", "never fully approved".
    public func changeSummary(_ status: ArticleStatus) throws(ReviewError) -> String {
        guard let approved = status.lastApprovedRevision else { return "never fully approved" }
        guard approved != status.revision else { return "unchanged since its approval" }
        let patch = try patch(status, from: approved)
        return "+\(patch.linesAdded) -\(patch.linesRemoved) lines since approved revision \(approved.prefix(7)) (see 'review diff \(status.slug)')"
    }

    private func patch(_ status: ArticleStatus, from approved: String) throws(ReviewError) -> FilePatch {
        try ReviewError.wrapping {
            guard let old = ObjectID(hex: approved), let new = ObjectID(hex: status.revision) else {
                throw ReviewError(file: status.path, "the approved revision '\(approved)' is not an object id")
            }
            return try repository.patch(from: old, to: new, path: status.path)
        }
    }

    /// `review log`: edits and sign-offs, newest first, of one article or all.
    public func log(article: String?, limit: Int) throws(ReviewError) -> [ReviewLog.Entry] {
        let head = try ReviewError.wrapping { try repository.headCommit() }
        if let article {
            let all = try ArticleLookup.articles(in: repository, at: head)
            let path = try ArticleLookup.find(article, in: all.articles, content: all.content).path
            return Array(try entries(only: [path], head: head).prefix(limit))
        }
        let snapshot = try RepositorySnapshot.load(from: repository, revision: head, usesCaches: options.usesCaches, progress: progress,
                                                   pinnedRoot: pin)
        return try log(limit: limit, from: snapshot)
    }

    /// The newest `limit` edits and decisions of every article, reading whole histories only
    /// where they can matter.
    ///
    /// A snapshot knows every record and each article's newest change. Its `limit`-th
    /// newest entry sets a time T: an older edit newer than T belongs to an article whose
    /// newest change is newer still, so only articles with an entry at or after T need their
    /// whole history (at most `limit` of them, against every article before: 10,000 whole
    /// histories cost the dashboard's log 135 MB).
    public func log(limit: Int, from snapshot: RepositorySnapshot) throws(ReviewError) -> [ReviewLog.Entry] {
        let known = ReviewLog.entries(snapshot.articles)
        var only: Set<GitPath>?
        if limit > 0, known.count >= limit {
            let threshold = known[limit - 1].time
            only = Set(known.prefix { $0.time >= threshold }.map(\.article))
        }
        return Array(try entries(only: only, head: snapshot.revision).prefix(limit))
    }

    /// Every edit and decision of the `only` articles (all when `nil`), from their whole histories.
    private func entries(only: Set<GitPath>?, head: ObjectID) throws(ReviewError) -> [ReviewLog.Entry] {
        let snapshot = try RepositorySnapshot.load(from: repository, revision: head, only: only, trackAll: true,
                                                   usesCaches: options.usesCaches, progress: progress, pinnedRoot: pin)
        return ReviewLog.entries(snapshot.articles)
    }

    /// The last change of every file under `directory` at `revision` (for cross-checks with git).
    public func lastChanges(at revision: String, under directory: String) throws(ReviewError) -> [LastChangeLine] {
        try ReviewError.wrapping {
            let commit = try repository.resolveCommit(revision)
            let report = try HistoryEngine(usesCache: options.usesCaches).lastChanges(in: repository, at: commit, under: directory)
            return report.files.map { file in
                LastChangeLine(path: file.path, commit: file.commit?.id.hex, committerTime: file.commit?.committer.time,
                               committerOffsetMinutes: file.commit.map { Int($0.committer.offsetMinutes) })
            }
        }
    }

    // MARK: Changing

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

    /// Refuses a key directory inside this repository's work tree or git directory: a private
    /// key there is one `git add` away from being published.
    public func checkKeyDirectory(_ store: KeyStore) throws(ReviewError) {
        let keys = SiteDirectory.resolved(URL(fileURLWithPath: store.directory).standardizedFileURL).path + "/"
        for place in [repository.workingDirectory, repository.gitDirectory].compactMap({ $0 }) {
            let root = SiteDirectory.resolved(URL(fileURLWithPath: place).standardizedFileURL).path + "/"
            if keys.hasPrefix(root) {
                throw ReviewError(file: store.directory, "the private-key directory is inside the content repository (\(root))",
                                  remedy: "keep keys outside it: set REVIEW_KEY_DIR to a folder such as ~/.config/review/keys and move the keys there")
            }
        }
    }

    /// Refuses a `--site` directory review may not write, before anything else is done.
    public func checkSiteDirectory(_ directory: String, intoExisting: Bool) throws(ReviewError) {
        _ = try SiteDirectory(directory, repository: repository, intoExisting: intoExisting)
    }

    /// `review reviewer add`: adds the reviewer to reviewers.yml (validated against the policy
    /// read exactly as every other command reads it) and commits it. Returns the commit id.
    public func addReviewer(_ reviewer: Reviewer, now: Int64) throws(ReviewError) -> String {
        try commitConfiguration("Add reviewer \(reviewer.id)", now: now) { (configuration, tree) throws in
            let text = try Configuration.fileBytes(Reviewer.path, in: self.repository, tree: tree).map { (bytes) throws(ReviewError) -> String in
                guard case .success(let text) = TextDecoding.decode(bytes) else {
                    throw ReviewError(file: Reviewer.path, "is not UTF-8 text", remedy: "save it as UTF-8")
                }
                return text
            }
            return [.write(Reviewer.path, try ReviewersEditor.adding(reviewer, to: text, roles: configuration.policy.roles))]
        }
    }

    /// `review reviewer retire ID --on DATE` and `review reviewer rotate-key ID`: sets one field
    /// of a reviewer in reviewers.yml and commits it (a configuration change: where a root
    /// governs, it counts once signed). Returns the commit id.
    public func setReviewerField(_ key: String, to value: String, of id: String, message: String, now: Int64) throws(ReviewError) -> String {
        try commitConfiguration(message, now: now) { (configuration, tree) throws in
            guard let bytes = try Configuration.fileBytes(Reviewer.path, in: self.repository, tree: tree),
                  case .success(let text) = TextDecoding.decode(bytes) else {
                throw ReviewError(file: Reviewer.path, "there is no readable reviewers file", remedy: "add reviewers with 'review reviewer add'")
            }
            return [.write(Reviewer.path, try ReviewersEditor.setting(key, to: value, of: id, in: text, roles: configuration.policy.roles))]
        }
    }

    /// `review new`: writes a new article into the work tree (not committed). Returns its path.
    public func newArticle(slug: String, title: String, category: String, section: String?, today: Day) throws(ReviewError) -> String {
        if let problem = Slug.problem(slug) { throw ReviewError(problem) }
        // What check would refuse is refused here, before a file exists.
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || title.contains(where: \.isNewline) {
            throw ReviewError("--title must be a non-empty title on one line", remedy: "like --title \"Iron deficiency\"")
        }
        if let section, section.split(separator: "/").contains(where: { $0 == ".." || $0.isEmpty }) || section.hasPrefix("/") {
            throw ReviewError("--section '\(section)' must be a relative folder under \(RepositorySnapshot.articlesDirectory)/")
        }
        guard let root = repository.workingDirectory else { throw ReviewError("'new' writes a file, and this repository has no work tree") }
        let snapshot = try evaluate(asOf: today).snapshot
        guard let chosen = snapshot.policy.categories[category] else {
            throw ReviewError(file: Policy.path, "no category '\(category)'",
                              remedy: "use one of \(snapshot.policy.categories.keys.sorted().joined(separator: ", ")) or add it to the policy")
        }
        if let other = snapshot.articles.first(where: { $0.article.slug == slug }) {
            throw ReviewError(file: other.article.path, "the slug '\(slug)' is taken", remedy: "choose another slug")
        }
        let relative = (snapshot.policy.content.roots.first ?? RepositorySnapshot.articlesDirectory) + "/" + (section.map { $0 + "/" } ?? "") + slug + ".md"
        let path = root + relative
        guard !FileManager.default.fileExists(atPath: path) else {
            throw ReviewError(file: relative, "already exists in the work tree", remedy: "choose another slug or edit that file")
        }
        let text = ContentTemplates.article(title: title, category: chosen, date: today,
                                            author: repository.configuredSignature(time: 0)?.name, disclaimers: snapshot.disclaimers,
                                            mapping: snapshot.policy.frontMatter, path: GitPath(relative))
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
        } catch {
            throw ReviewError(file: relative, "cannot write it: \(error.localizedDescription)")
        }
        return relative
    }

    /// `review init`: makes `path` a content repository (creating the git repository when it is
    /// not one) and commits the starting files. Returns the work tree and the commit id.
    ///
    /// - Parameter root: a root of governance keys to commit with the starting files (it counts
    ///   once a threshold of its keys signed it: `review governance sign`).
    public static func initialise(at path: String, now: Int64, root trustRoot: TrustRoot? = nil) throws(ReviewError) -> (root: String, commit: String) {
        if let trustRoot { _ = try TrustRootParser.parse(Array(TrustRootParser.text(trustRoot).utf8)) }
        let repository: Repository
        do {
            repository = try Repository.discover(startingAt: path)
        } catch .notARepository {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                repository = try Repository.create(at: path)
            } catch let error as RepositoryError {
                throw ReviewError(error)
            } catch {
                throw ReviewError(file: path, "cannot create the directory: \(error.localizedDescription)")
            }
        } catch {
            throw ReviewError(error)
        }
        guard !repository.isBare else { throw ReviewError("init needs a work tree, and \(path) is a bare repository") }
        let root = repository.workingDirectory ?? path
        for change in ContentTemplates.initialFiles where FileManager.default.fileExists(atPath: root + change.path.text) {
            throw ReviewError(file: change.path, "already exists; this is a content repository already", remedy: "edit the file instead")
        }
        let session = try ReviewSession(repository: repository, options: Options())
        let me = session.committer(now)
        return try ReviewError.wrapping {
            let branch = try repository.currentBranch()
            let files = ContentTemplates.initialFiles + (trustRoot.map { [.write(TrustRoot.path, TrustRootParser.text($0))] } ?? [])
            let commit = try repository.commit(onto: branch, author: me, committer: me, message: "Start a review content repository") { _ in
                files
            }
            return (root, commit.hex)
        }
    }

    // MARK: Helpers

    /// The configured user (`user.name`, `user.email`), or "review".
    func committer(_ now: Int64) -> Signature {
        repository.configuredSignature(time: now) ?? Signature(name: "review", email: "review@localhost", time: now)
    }

    /// Commits a change to the configuration onto the checked-out branch, computed from the
    /// configuration at the branch's tip as ``RepositorySnapshot`` reads it.
    private func commitConfiguration(_ message: String, now: Int64,
                                     _ change: @escaping (Configuration, ObjectID) throws -> [FileChange]) throws(ReviewError) -> String {
        try commitChange(message, now: now) { tip, tree in
            try change(try Configuration.read(from: self.repository, tree: tree, at: tip, readingReviewers: false), tree)
        }
    }
}

/// What ``ReviewSession/evaluate(asOf:)`` read and decided.
public struct Evaluation: Sendable {
    public let snapshot: RepositorySnapshot
    public let report: StatusReport
    public var head: String { snapshot.revision.hex }

    /// The fragments' own statuses (their state, approvals, last approved revision), sorted by
    /// path: not articles, so not in ``report`` (docs/fragments.md). Empty when fragments are off.
    public let fragments: [ArticleStatus]
    /// The include graph, when the policy turns fragments on.
    public let fragmentGraph: FragmentGraph?

    /// Runs the workflow engine over every article of the snapshot, on all cores; articles
    /// sorted by path. Where the policy names fragments, they are judged first (each under the
    /// strictest category of the articles that include it), and each article's state and
    /// findings then take its fragments into account (``FragmentGraph/apply(to:fragments:)``).
    init(snapshot: RepositorySnapshot, asOf: Day) {
        self.snapshot = snapshot
        let configuration = snapshot.configuration(asOf: asOf)
        let settings = snapshot.policy.fragments
        guard settings.isOn else {
            // Translations are judged against their sources' approvals once every article has its own (issue 37).
            let statuses = TranslationCheck.apply(snapshot.articles.parallelMap { WorkflowEngine.evaluate($0, configuration) },
                                                  facts: snapshot.articles, configuration: configuration)
            report = StatusReport(asOf: asOf, head: snapshot.revision.hex, articles: Self.byPath(statuses),
                                  otherFindings: (snapshot.strayFindings + snapshot.trustFindings).sorted())
            fragments = []
            fragmentGraph = nil
            return
        }
        let graph = FragmentGraph(snapshot.articles, settings: settings)
        let articles = snapshot.articles.filter { !settings.isFragment($0.article.path) }
        var fragmentFacts = snapshot.articles.filter { settings.isFragment($0.article.path) }
        let categories = graph.categories(Dictionary(articles.map { ($0.article.path, $0.article.category) }, uniquingKeysWith: { a, _ in a }),
                                          policy: snapshot.policy)
        for i in fragmentFacts.indices { fragmentFacts[i].article.category = categories[fragmentFacts[i].article.path] }
        let fragmentStatuses = Self.byPath(fragmentFacts.parallelMap { WorkflowEngine.evaluate($0, configuration) })
        let byPath = Dictionary(fragmentStatuses.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let statuses = TranslationCheck.apply(graph.apply(to: articles.parallelMap { WorkflowEngine.evaluate($0, configuration) }, fragments: byPath),
                                              facts: articles, configuration: configuration)
        // A fragment's records and content findings are reported on its own path; what concerns
        // only articles (front matter, disclaimers, review dates) does not apply to it.
        let fragmentFindings = fragmentStatuses.flatMap { $0.findings.filter { !FragmentGraph.notForFragments.contains($0.rule) } }
        report = StatusReport(asOf: asOf, head: snapshot.revision.hex, articles: Self.byPath(statuses),
                              otherFindings: (snapshot.strayFindings + snapshot.trustFindings + fragmentFindings).sorted())
        fragments = fragmentStatuses
        fragmentGraph = graph
    }

    /// Statuses sorted by path. Articles are read in git's tree order, which is already that
    /// order for most sites; sorting tens of thousands of statuses again is then skipped.
    static func byPath(_ statuses: [ArticleStatus]) -> [ArticleStatus] {
        let inOrder = statuses.indices.dropFirst().allSatisfy { !(statuses[$0].path < statuses[$0 - 1].path) }
        return inOrder ? statuses : statuses.sorted { $0.path < $1.path }
    }

    /// The named articles (slug or path), in the order given.
    public func selecting(_ names: [String]) throws(ReviewError) -> [ArticleStatus] {
        let all = snapshot.articles.map(\.article)
        return try names.map { (name) throws(ReviewError) -> ArticleStatus in
            let path = try ArticleLookup.find(name, in: all, content: snapshot.policy.content).path
            guard let status = report.articles.first(where: { $0.path == path }) ?? fragments.first(where: { $0.path == path }) else {
                throw ReviewError(file: path, "is not a readable article", remedy: "see 'review status'")
            }
            return status
        }
    }
}

/// `review diff`'s answer.
public enum ArticleDiff: Sendable {
    case neverApproved(ArticleStatus)
    case unchanged(ArticleStatus)
    case changed(ArticleStatus, patch: String, added: Int, removed: Int)
}

/// One line of `review last-changes`.
public struct LastChangeLine: Sendable, Equatable {
    public var path: GitPath
    /// `nil` past a shallow clone's boundary.
    public var commit: String?
    public var committerTime: Int64?
    public var committerOffsetMinutes: Int?
}
