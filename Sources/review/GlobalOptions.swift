import ArgumentParser
import Foundation
import ReviewCore
import ReviewKit

extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// Options every command accepts, before or after the command name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The content repository (default: the one containing the current directory).", valueName: "path"))
    var repo: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Treat this UTC date as today (YYYY-MM-DD).", valueName: "date"))
    var asOf: Day?

    /// `--as-of`, or today's UTC date.
    var today: Day {
        asOf ?? Day(secondsSinceEpoch: now)
    }

    /// The current time, seconds since the epoch.
    var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// The session over `--repo`, or the repository containing the current directory; caches
    /// on, and a progress line on a terminal.
    func session(progress: ProgressLine? = nil) throws(ReviewError) -> ReviewSession {
        let session = try ReviewSession.open(repo)
        session.progress = progress?.handler
        return session
    }
}
