import Paths
import GitKit
import ReviewCore

/// Which articles a change between two revisions touches.
struct ChangeScope {
    let base: ObjectID
    let everything: Bool
    let paths: Set<GitPath>
    let layout: ContentRoots

    init(repository: Repository, since revision: String, head: ObjectID) throws(ReviewError) {
        do {
            base = try repository.resolveCommit(revision)
            let layout = Configuration.layout(in: repository, at: head)
            self.layout = layout
            let changed = try repository.changedFiles(from: base, to: head, under: layout.walkDirectory).filter { layout.isArticle($0) }
                + repository.changedFiles(from: base, to: head, under: ContentLayout.reviewsDirectory)
            paths = Set(changed)
            // A changed policy, reviewer list or disclaimer can change every article's verdict.
            everything = changed.contains { $0.hasPrefix(ContentLayout.reviewsDirectory + "/") && !$0.hasPrefix(ContentLayout.signOffsDirectory + "/") }
        } catch {
            throw ReviewError(error)
        }
    }

    func includes(_ status: ArticleStatus) -> Bool {
        everything || paths.contains(status.path)
            || paths.contains { $0.hasPrefix(GitPath("\(ContentLayout.signOffsDirectory)/\(layout.recordDirectory(of: status.path))/")) }
    }

    func includesFile(_ path: GitPath) -> Bool { everything || paths.contains(path) }

    /// Whether the fragment at `path` changed, or its records did.
    func includes(fragment path: GitPath) -> Bool {
        paths.contains(path) || paths.contains { $0.hasPrefix(GitPath("\(ContentLayout.signOffsDirectory)/\(layout.recordDirectory(of: path))/")) }
    }

    /// The article files in scope: changed ones, and those whose sign-offs changed.
    func articlePaths(repository: Repository, head: ObjectID) throws(ReviewError) -> Set<GitPath> {
        // The folders (`Reviews/signoffs/<this>/…`) whose records changed, as bytes.
        let slugs = Set(paths.compactMap { path -> GitPath? in
            let parts = path.bytes.split(separator: UInt8(ascii: "/"))
            return path.hasPrefix(ContentLayout.signOffsDirectory + "/") && parts.count >= 4 ? GitPath(bytes: parts[2]) : nil
        })
        var result = Set(paths.filter { layout.isArticle($0) })
        guard !slugs.isEmpty else { return result }
        do {
            for file in try repository.files(under: GitPath(layout.walkDirectory), inTree: repository.commit(head).tree)
            where layout.isArticle(file.path) && slugs.contains(GitPath(layout.recordDirectory(of: file.path))) {
                result.insert(file.path)
            }
        } catch {
            throw ReviewError(error)
        }
        return result
    }
}
