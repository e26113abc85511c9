import ArgumentParser
import GitKit
import ReviewKit

/// `review status [ARTICLE…]`: where each article stands, for editors.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where each article stands: review state, freshness, last change and findings."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table
    }

    @OptionGroup var global: GlobalOptions

    @Option(help: "Output format.")
    var format: Format = .table

    @Argument(help: "Articles to show (slug or path); all when none.")
    var articles: [String] = []

    func run() throws {
        let repository = try global.openRepository()
        let head: ObjectID
        do { head = try repository.headCommit() } catch { throw ReviewError(error) }
        let snapshot = try RepositorySnapshot.load(from: repository, revision: head)
        var report = StatusReport(snapshot: snapshot, asOf: global.today)
        if !articles.isEmpty {
            let all = snapshot.articles.map(\.article)
            let wanted = try articles.map { (name) throws(ReviewError) in try ArticleLookup.find(name, in: all).path }
            report.articles = report.articles.filter { wanted.contains($0.path) }
        }
        switch format {
        case .table: print(TableReporter.render(report), terminator: "")
        }
    }
}
