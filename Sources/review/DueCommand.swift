import Paths
import ArgumentParser
import Foundation
import ReviewCore
import ReviewKit

extension QueueFormat: ExpressibleByArgument {}

/// `review due [--as REVIEWER] [--within DAYS] [--format table|json|markdown|ics]`.
struct DueCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "List what must be reviewed, by whom, ordered by due date (an iCalendar feed with --format ics).",
        discussion: """
            Articles awaiting a required role are due now; approved articles whose periodic review \
            is due soon or overdue are due on their review date. With --as, only the roles that \
            reviewer holds. Exits 0.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("as"), help: ArgumentHelp("Only what this reviewer can review (their roles).", valueName: "reviewer"))
    var reviewer: String?

    @Option(help: ArgumentHelp("Only periodic reviews due within this many days (awaiting reviews always).", valueName: "days"))
    var within: Int?

    @Option(help: "Output format: \(QueueFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: QueueFormat = .table

    func validate() throws {
        if let within, !(0...3650).contains(within) { throw ValidationError("--within must be from 0 to 3650 days") }
    }

    func run() throws {
        let progress = ProgressLine()
        let queue = try global.reading(progress: progress).due(asOf: global.today, reviewer: reviewer, within: within)
        progress.finish()
        emit(format.render(queue), terminator: "")
    }
}
