import ArgumentParser
import Foundation
import GitKit
import ReviewKit

extension StatusFormat: ExpressibleByArgument {}
extension CheckFormat: ExpressibleByArgument {}

/// Reads the repository and runs the workflow engine: what `status` and `check` share.
struct Evaluation {
    let repository: Repository
    let head: ObjectID
    let snapshot: RepositorySnapshot
    let report: StatusReport

    init(_ global: GlobalOptions) throws {
        repository = try global.openRepository()
        do { head = try repository.headCommit() } catch { throw ReviewError(error) }
        let progress = ProgressLine()
        defer { progress.finish() }
        snapshot = try RepositorySnapshot.load(from: repository, revision: head, progress: progress.handler)
        report = StatusReport(snapshot: snapshot, asOf: global.today)
    }

    /// Keeps only the named articles (slug or path), in the order given.
    func selecting(_ names: [String]) throws(ReviewError) -> [ArticleStatus] {
        let all = snapshot.articles.map(\.article)
        return try names.map { (name) throws(ReviewError) -> ArticleStatus in
            let path = try ArticleLookup.find(name, in: all).path
            return report.articles.first { $0.path == path }!
        }
    }
}

/// `review status [ARTICLE…]`: where each article stands, for editors.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where each article stands: review state, freshness, approvals and findings.",
        discussion: "With one article and the table format, shows its detail. Always exits 0 when it could read the repository; use 'review check' to gate."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Output format: \(StatusFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: StatusFormat = .table

    @Argument(help: "Articles to show (slug or path); all when none.")
    var articles: [String] = []

    func run() throws {
        let evaluation = try Evaluation(global)
        var report = evaluation.report
        if !articles.isEmpty {
            report.articles = try evaluation.selecting(articles)
            report.otherFindings = []
        }
        if format == .table, articles.count == 1, let status = report.articles.first {
            print(DetailReporter.render(status, asOf: report.asOf, changeSummary: try changeSummary(status, evaluation.repository)), terminator: "")
            return
        }
        var text = format.reporter.render(report)
        if format == .table { text = TerminalStyle.current.colourStates(text) }
        print(text, terminator: "")
    }

    /// "unchanged", "+3 -1 lines since revision …", or "never approved".
    private func changeSummary(_ status: ArticleStatus, _ repository: Repository) throws(ReviewError) -> String {
        guard let approved = status.lastApprovedRevision else { return "never fully approved" }
        guard approved != status.revision else { return "unchanged since its approval" }
        do {
            guard let old = ObjectID(hex: approved), let new = ObjectID(hex: status.revision) else { return "unknown" }
            let patch = try repository.patch(from: old, to: new, path: status.path)
            return "+\(patch.linesAdded) -\(patch.linesRemoved) lines since approved revision \(approved.prefix(7)) (see 'review diff \(status.slug)')"
        } catch {
            throw ReviewError(error)
        }
    }
}

/// Colour for people on a terminal; never in pipes, files or with `NO_COLOR` set.
struct TerminalStyle {
    let enabled: Bool

    static var current: TerminalStyle {
        TerminalStyle(enabled: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true)
    }

    /// Colours the state words of a status table.
    func colourStates(_ text: String) -> String {
        guard enabled else { return text }
        let colours = ["changes-requested": "33", "in-review": "36", "approved": "32", "published": "32;1", "overdue": "31;1",
                       "due-soon": "33", "draft": "2"]
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var line = String(line)
            for (word, code) in colours where line.contains("  \(word)  ") {
                line = line.replacingOccurrences(of: "  \(word)  ", with: "  \u{1B}[\(code)m\(word)\u{1B}[0m  ")
            }
            return line
        }.joined(separator: "\n")
    }
}
