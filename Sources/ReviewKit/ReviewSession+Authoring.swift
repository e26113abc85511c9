import Paths
import Foundation
import GitKit
import ReviewCore

extension ReviewSession {
    /// Authoring and setup: a new content repository, a new article in the work tree, the
    /// accepted-findings baseline. What it writes into the work tree it leaves uncommitted
    /// (``initialise(at:now:root:)`` commits the starting files).
    public struct Authoring: SessionUseCase {
        let session: ReviewSession
    }
}

extension ReviewSession.Authoring {
    /// Opens the repository at `path` (``ReviewSession/open(_:options:)``) for this use case alone.
    public static func open(_ path: String?, options: ReviewSession.Options = ReviewSession.Options()) throws(ReviewError) -> Self {
        Self(session: try ReviewSession.open(path, options: options))
    }

    /// Refuses a key directory inside this repository's work tree or git directory: a private
    /// key there is one `git add` away from being published (`review keygen`).
    public func checkKeyDirectory(_ store: KeyStore) throws(ReviewError) { try session.checkKeyDirectory(store) }

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
        let snapshot = try session.evaluate(asOf: today, bodies: .all).snapshot
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
        let session = try ReviewSession(repository: repository, options: ReviewSession.Options())
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

    /// What `review baseline` would write: every content-rule finding at `HEAD` that the
    /// policy's `rules:` and the articles' suppression comments leave, the current baseline
    /// set aside (a new baseline replaces it).
    public func acceptedFindings(asOf: Day) throws(ReviewError) -> AcceptedFindings {
        let head = try ReviewError.wrapping { try repository.headCommit() }
        var snapshot = try RepositorySnapshot.load(from: repository, revision: head, usesCaches: options.usesCaches, progress: progress,
                                                   pinnedRoot: pin, bodies: .whereEvaluationReadsThem)
        snapshot.acceptedFindings = AcceptedFindings()
        let report = Evaluation(snapshot: snapshot, asOf: asOf).report
        return AcceptedFindings(report.articles.lazy.flatMap(\.findings))
    }

    /// `review baseline`: writes ``acceptedFindings(asOf:)`` to `Reviews/accepted-findings.yml`
    /// in the work tree, atomically (not committed: commit it, and where a root governs, have it
    /// signed). Everything is read and judged before the file is written; on any error nothing is.
    ///
    /// - Returns: the baseline written and the file's path in the work tree.
    public func writeBaseline(asOf: Day) throws(ReviewError) -> (baseline: AcceptedFindings, path: String) {
        guard let root = repository.workingDirectory else {
            throw ReviewError(file: AcceptedFindings.path, "'baseline' writes a file, and this repository has no work tree",
                              remedy: "run it in a clone with a work tree")
        }
        let baseline = try acceptedFindings(asOf: asOf)
        let path = root + AcceptedFindings.path.text
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(baseline.text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ReviewError(file: AcceptedFindings.path, "cannot write it: \(error.localizedDescription)", remedy: "check the work tree is writable")
        }
        return (baseline, path)
    }
}
