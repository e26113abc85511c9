import ReviewCore
import Foundation
import GitKit

/// `review publish`: moves `refs/heads/published` to a commit holding only approved,
/// current, complete revisions, and renders the site from it.
public enum Publisher {
    public struct Outcome: Sendable {
        public var plan: PublishPlan
        /// The new published commit (40 hex digits); `nil` for a dry run or when nothing changed.
        public var commit: String?
        /// Whether the published ref already held exactly this.
        public var upToDate: Bool
    }

    public static let reference = RepositorySnapshot.publishedReference

    /// Plans (and unless `dryRun`, commits) the published tree. Never touches the work tree.
    ///
    /// - Throws: ``ReviewError`` when the repository cannot be read, or when someone else moved
    ///   the published ref meanwhile (run again).
    public static func publish(repository: Repository, asOf: Day, dryRun: Bool, author: Signature) throws(ReviewError) -> Outcome {
        try ReviewError.wrapping {
            let head = try repository.headCommit()
            let snapshot = try RepositorySnapshot.load(from: repository, revision: head)
            let configuration = snapshot.configuration(asOf: asOf)
            let statuses = Evaluation(snapshot: snapshot, asOf: asOf).report.articles
            let previousCommit = try repository.referenceTarget(reference)
            let previousTree = try previousCommit.map { try repository.commit($0).tree }
            var previous: [String: String] = [:]
            if let previousTree {
                for file in try repository.files(under: RepositorySnapshot.articlesDirectory, inTree: previousTree) {
                    previous[file.path] = file.id.hex
                }
            }
            let plan = PublishPlan.make(snapshot.articles, statuses: statuses, configuration: configuration, previous: previous)
            // Nothing to publish and nothing published before: no empty ref is created. (When
            // articles were published before, an empty tree is committed: they must come down.)
            if dryRun || (plan.entries.isEmpty && previousCommit == nil) { return Outcome(plan: plan, commit: nil, upToDate: false) }

            let manifest = PublishedManifest(plan: plan)
            let manifestBlob = try repository.writeBlob(Array(manifest.json.utf8))
            var blobs: [(path: String, blob: ObjectID?)] = plan.entries.map { ($0.path, ObjectID(hex: $0.blob)) }
            blobs.append((PublishedManifest.path, manifestBlob))
            let tree = try repository.buildTree(base: nil, blobs: blobs)
            if tree == previousTree { return Outcome(plan: plan, commit: nil, upToDate: true) }
            var message = "Publish \(plan.entries.count) article\(plan.entries.count == 1 ? "" : "s") from \(head.short)\n\n"
            for entry in plan.entries {
                let approvals = entry.approvals.map { "\($0.role) by \($0.reviewer) on \($0.date)" }.joined(separator: ", ")
                message += "\(entry.path) @ \(entry.blob.prefix(12)): \(approvals)\n"
            }
            let held = plan.summaryLines.filter { $0.hasPrefix("hold") || $0.hasPrefix("remove") }
            if !held.isEmpty { message += "\n" + held.joined(separator: "\n") + "\n" }
            let commit = try repository.createCommit(tree: tree, parents: previousCommit.map { [$0] } ?? [], author: author,
                                                     committer: author, message: message)
            try repository.withWriteLock(lockFiles: [reference + ".lock"]) { () throws(RepositoryError) in
                try repository.updateReference(reference, to: commit, expected: previousCommit, message: "review publish")
            }
            return Outcome(plan: plan, commit: commit.hex, upToDate: false)
        }
    }

    /// Renders the tree on the published ref to static HTML in `directory`, atomically: the
    /// site is built beside it and swapped in with `rename`; a failure leaves the old site.
    ///
    /// - Returns: how many articles were rendered.
    public static func renderSite(repository: Repository, to directory: String) throws(ReviewError) -> Int {
        let (manifest, bodies) = try ReviewError.wrapping { () throws -> (PublishedManifest, [String: String]) in
            guard let published = try repository.referenceTarget(reference) else {
                throw ReviewError("nothing is published yet", remedy: "run 'review publish' first")
            }
            let tree = try repository.commit(published).tree
            guard let manifestEntry = try repository.entry(at: PublishedManifest.path, inTree: tree) else {
                throw ReviewError("\(reference) has no \(PublishedManifest.path)", remedy: "run 'review publish' again")
            }
            let manifest = try JSONDecoder().decode(PublishedManifest.self, from: Data(try repository.blob(manifestEntry.id)))
            var bodies: [String: String] = [:]
            for article in manifest.articles {
                guard let entry = try repository.entry(at: article.path, inTree: tree) else { continue }
                let (parsed, _) = ArticleParser.parse(path: article.path, bytes: try repository.blob(entry.id))
                bodies[article.path] = parsed.body
            }
            return (manifest, bodies)
        }
        let files = SiteRenderer.render(manifest, bodies: bodies)
        try SiteWriter.replace(directory, with: files)
        return manifest.articles.count
    }
}

/// Replaces a directory's contents atomically (as far as POSIX allows): write everything into
/// a sibling, then swap it in with two renames.
enum SiteWriter {
    static func replace(_ directory: String, with files: [String: String]) throws(ReviewError) {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: directory).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).new-\(getpid())")
        let retired = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(getpid())")
        do {
            try? fm.removeItem(at: staging)
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            for (name, text) in files {
                try Data(text.utf8).write(to: staging.appendingPathComponent(name), options: .atomic)
            }
            if fm.fileExists(atPath: target.path) {
                try fm.moveItem(at: target, to: retired)
                do {
                    try fm.moveItem(at: staging, to: target)
                } catch {
                    try? fm.moveItem(at: retired, to: target)
                    throw error
                }
                try? fm.removeItem(at: retired)
            } else {
                try fm.moveItem(at: staging, to: target)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw ReviewError(file: directory, "cannot write the site: \(error.localizedDescription)",
                              remedy: "check the directory's parent exists and is writable; the previous site is unchanged")
        }
    }
}
