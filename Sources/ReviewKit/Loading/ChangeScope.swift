import GitKit
import ReviewCore

/// Which articles a change between two revisions touches.
struct ChangeScope {
    let base: ObjectID
    let everything: Bool
    let paths: Set<String>
    let layout: ContentRoots

    init(repository: Repository, since revision: String, head: ObjectID) throws(ReviewError) {
        do {
            base = try repository.resolveCommit(revision)
            layout = Configuration.layout(in: repository, at: head)
            let changed = try repository.changedFiles(from: base, to: head, under: layout.walkDirectory).filter(layout.isArticle)
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
            || paths.contains { $0.hasPrefix("\(ContentLayout.signOffsDirectory)/\(layout.recordDirectory(of: status.path))/") }
    }

    func includesFile(_ path: String) -> Bool { everything || paths.contains(path) }

    /// The article files in scope: changed ones, and those whose sign-offs changed.
    func articlePaths(repository: Repository, head: ObjectID) throws(ReviewError) -> Set<String> {
        let slugs = Set(paths.compactMap { path -> String? in
            let parts = path.split(separator: "/")
            return path.hasPrefix(ContentLayout.signOffsDirectory + "/") && parts.count >= 4 ? String(parts[2]) : nil
        })
        var result = Set(paths.filter(layout.isArticle))
        guard !slugs.isEmpty else { return result }
        do {
            for file in try repository.files(under: layout.walkDirectory, inTree: repository.commit(head).tree)
            where layout.isArticle(file.path) && slugs.contains(layout.recordDirectory(of: file.path)) {
                result.insert(file.path)
            }
        } catch {
            throw ReviewError(error)
        }
        return result
    }
}
