import Paths
import GitKit
import ReviewCore

extension ReviewSession {
    /// Reading state: everything `status`, `check`, `verify`, `due`, `diff`, `log` and
    /// `last-changes` answer, and what the dashboard shows. It writes nothing but caches.
    public struct Reading: SessionUseCase {
        let session: ReviewSession
    }
}

extension ReviewSession.Reading {
    /// Opens the repository at `path` (``ReviewSession/open(_:options:)``) for this use case alone.
    public static func open(_ path: String?, options: ReviewSession.Options = ReviewSession.Options()) throws(ReviewError) -> Self {
        Self(session: try ReviewSession.open(path, options: options))
    }

    /// `status` in `format`; JSON writes its articles on all cores (tens of megabytes for a
    /// large site), the same text as ``StatusJSONReporter/render(_:)``.
    public static func render(_ report: StatusReport, as format: StatusFormat) -> String {
        guard format == .json else { return format.reporter.render(report) }
        return StatusJSONReporter.render(report) { runs, write in runs.parallelMap(spreadFrom: 4, write) }
    }

    /// ``render(_:as:)``'s bytes in parts, in order (JSON: each run of articles' objects is a part), for
    /// writing out a large site's status without joining tens of megabytes first.
    public static func renderParts(_ report: StatusReport, as format: StatusFormat) -> [[UInt8]] {
        guard format == .json else { return [Array(format.reporter.render(report).utf8)] }
        return StatusJSONReporter.renderParts(report) { runs, write in runs.parallelMap(spreadFrom: 4, write) }
    }

    /// ``TerminalSafe/containsWorkflowCommands(_:)`` of ``renderParts(_:as:)``'s parts, read on
    /// all cores (windows-powershell-docs' JSON is 18 MB: read on one core, it was 2% of a warm
    /// `status`, with the other idle).
    public static func containsWorkflowCommands(_ parts: [[UInt8]]) -> Bool {
        TerminalSafe.containsWorkflowCommands(parts, scans: parts.parallelMap(TerminalSafe.scan))
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

    /// Everything at `HEAD`, judged as of `asOf`.
    public func evaluate(asOf: Day) throws(ReviewError) -> Evaluation {
        try evaluate(asOf: asOf, bodies: .all)
    }

    private func evaluate(asOf: Day, bodies: BodyNeed) throws(ReviewError) -> Evaluation {
        try session.evaluate(asOf: asOf, bodies: bodies)
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
    ///
    /// `directory` is a folder from the repository's root, written as people write one
    /// (`Articles`, `Articles/`, `./Articles`, `/Articles`: the same folder); `..` is refused.
    public func lastChanges(at revision: String, under directory: String) throws(ReviewError) -> [LastChangeLine] {
        let parts = directory.split(separator: "/").filter { $0 != "." }
        if parts.contains("..") {
            throw ReviewError("'--under \(TerminalSafe.clean(directory))' leaves the repository's tree",
                              remedy: "name a folder from the repository's root, such as Articles")
        }
        let folder = parts.joined(separator: "/")
        return try ReviewError.wrapping {
            let commit = try repository.resolveCommit(revision)
            let report = try HistoryEngine(usesCache: options.usesCaches).lastChanges(in: repository, at: commit, under: folder)
            return report.files.map { file in
                LastChangeLine(path: file.path, commit: file.commit?.id.hex, committerTime: file.commit?.committer.time,
                               committerOffsetMinutes: file.commit.map { Int($0.committer.offsetMinutes) })
            }
        }
    }
}
