import ArgumentParser
import GitKit
import ReviewKit

/// `review status [ARTICLE…]`: where each article stands, for editors.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each article with its last change and findings."
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
            report.articles = try articles.map { (wanted) throws(ReviewError) -> StatusReport.Entry in
                guard let entry = report.articles.first(where: { $0.slug == wanted || $0.path == wanted }) else {
                    throw ReviewError("no article '\(wanted)' at \(head.short)", remedy: "give a slug or a path under Articles/ (see 'review status')")
                }
                return entry
            }
        }
        switch format {
        case .table: print(TableReporter.render(report), terminator: "")
        }
    }
}
