import Paths
import ArgumentParser
import Foundation
import ReviewCore
import ReviewKit

extension StatusFormat: ExpressibleByArgument {}
extension CheckFormat: ExpressibleByArgument {}

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

    @Option(name: .customLong("changed-since"),
            help: ArgumentHelp("Only articles changed between this revision and HEAD (a pull request's base).", valueName: "rev"))
    var changedSince: String?

    func run() throws {
        if changedSince != nil, !articles.isEmpty {
            throw ReviewError("give articles or --changed-since, not both")
        }
        let progress = ProgressLine()
        let reading = try global.reading(progress: progress)
        let report = try changedSince.map { (base) throws(ReviewError) in try reading.check(asOf: global.today, changedSince: base) }
            ?? reading.status(asOf: global.today, articles: articles)
        progress.finish()
        if format == .table, articles.count == 1, let status = report.articles.first {
            emit(DetailReporter.render(status, asOf: report.asOf, changeSummary: try reading.changeSummary(status)), terminator: "")
            return
        }
        guard format == .table else {
            let parts = ReviewSession.Reading.renderParts(report, as: format)
            emit(parts: parts)
            // Let go of at exit, not freed article by article (``Teardown``).
            return Teardown.release((report, parts))
        }
        emit(TerminalStyle.current.colourStates(ReviewSession.Reading.render(report, as: format)), terminator: "")
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

    /// Colours a unified diff: additions green, removals red, hunk headers cyan.
    func colourDiff(_ text: String) -> String {
        guard enabled else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            if line.hasPrefix("+++") || line.hasPrefix("---") { return "\u{1B}[1m\(line)\u{1B}[0m" }
            if line.hasPrefix("+") { return "\u{1B}[32m\(line)\u{1B}[0m" }
            if line.hasPrefix("-") { return "\u{1B}[31m\(line)\u{1B}[0m" }
            if line.hasPrefix("@@") { return "\u{1B}[36m\(line)\u{1B}[0m" }
            return String(line)
        }.joined(separator: "\n")
    }
}
