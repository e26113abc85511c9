import ArgumentParser
import Foundation
import GitKit
import ReviewKit

/// `review init [DIR]`: a new content repository with a commented policy, an empty reviewers
/// file and the medical disclaimer, committed.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a content repository: commented policy, reviewers file and the medical disclaimer."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Where (default: --repo, or the current directory); made a git repository if it is not one.")
    var directory: String?

    func run() throws {
        let path = directory ?? global.repo ?? FileManager.default.currentDirectoryPath
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
        for change in ContentTemplates.initialFiles where FileManager.default.fileExists(atPath: root + change.path) {
            throw ReviewError(file: change.path, "already exists; this is a content repository already", remedy: "edit the file instead")
        }
        let now = Int64(Date().timeIntervalSince1970)
        let me = repository.configuredSignature(time: now) ?? Signature(name: "review", email: "review@localhost", time: now)
        do {
            let branch = try repository.currentBranch()
            let commit = try repository.commit(onto: branch, author: me, committer: me, message: "Start a review content repository") { _ in
                ContentTemplates.initialFiles
            }
            print("Initialised a review content repository in \(root) (commit \(commit.short)).")
            print("Next: edit Reviews/policy.yml, add reviewers with 'review keygen' and 'review reviewer add', write articles with 'review new'.")
        } catch {
            throw ReviewError(error)
        }
    }
}

/// `review new SLUG --title T --category C`: a new article file with its front matter and the
/// category's disclaimers, left uncommitted for the author to write.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create Articles/[SECTION/]SLUG.md with front matter and the category's disclaimers (not committed)."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The slug: lowercase letters, digits and single hyphens.")
    var slug: String

    @Option(help: "The article's title.")
    var title: String

    @Option(help: "A category from Reviews/policy.yml.")
    var category: String

    @Option(help: ArgumentHelp("A folder under Articles/ to put it in.", valueName: "section"))
    var section: String?

    func run() throws {
        if let problem = ArticleParser.slugProblem(slug) { throw ReviewError(problem) }
        if let section, section.split(separator: "/").contains(where: { $0 == ".." || $0.isEmpty }) || section.hasPrefix("/") {
            throw ReviewError("--section '\(section)' must be a relative folder under Articles/")
        }
        let repository = try global.openRepository()
        guard let root = repository.workingDirectory else { throw ReviewError("'new' writes a file, and this repository has no work tree") }
        let head: ObjectID
        do { head = try repository.headCommit() } catch { throw ReviewError(error) }
        let snapshot = try RepositorySnapshot.load(from: repository, revision: head)
        guard let chosen = snapshot.policy.categories[category] else {
            throw ReviewError(file: Policy.path, "no category '\(category)'",
                              remedy: "use one of \(snapshot.policy.categories.keys.sorted().joined(separator: ", ")) or add it to the policy")
        }
        if let other = snapshot.articles.first(where: { $0.article.slug == slug }) {
            throw ReviewError(file: other.article.path, "the slug '\(slug)' is taken", remedy: "choose another slug")
        }
        let relative = "Articles/" + (section.map { $0 + "/" } ?? "") + slug + ".md"
        let path = root + relative
        guard !FileManager.default.fileExists(atPath: path) else {
            throw ReviewError(file: relative, "already exists in the work tree", remedy: "choose another slug or edit that file")
        }
        let text = ContentTemplates.article(title: title, category: chosen, date: global.today,
                                            author: repository.configuredSignature(time: 0)?.name, disclaimers: snapshot.disclaimers)
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting)
        } catch {
            throw ReviewError(file: relative, "cannot write it: \(error.localizedDescription)")
        }
        print("Created \(relative); write the body, then commit it and ask for review.")
    }
}
