import ArgumentParser
import Foundation
import GitKit
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
        asOf ?? Day(secondsSinceEpoch: Int64(Date().timeIntervalSince1970))
    }

    /// Opens the repository named by `--repo`, or the one containing the current directory.
    func openRepository() throws(ReviewError) -> Repository {
        do {
            if let repo { return try Repository.open(at: repo) }
            return try Repository.discover(startingAt: FileManager.default.currentDirectoryPath)
        } catch {
            throw ReviewError(error)
        }
    }
}
