import Paths
import ArgumentParser
import ReviewCore
import ReviewKit

/// Prints the last change of every file under `Articles/`, in the format of
/// `../shared/bench/lastchange_oracle.sh` (path, committer date, commit), for cross-checks.
struct LastChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "last-changes",
        abstract: "Print path, committer date and commit of each article's last change (for cross-checks).",
        shouldDisplay: false
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The revision to look at.")
    var revision = "HEAD"

    @Option(help: "The directory whose files to report (empty: the whole tree).")
    var under = ContentLayout.articlesDirectory

    func run() throws {
        var out = ""
        for line in try global.reading().lastChanges(at: revision, under: under) {
            if let commit = line.commit, let time = line.committerTime, let offset = line.committerOffsetMinutes {
                out += "\(line.path)\t\(ISO8601.format(time: time, offsetMinutes: offset))\t\(commit)\n"
            } else {
                out += "\(line.path)\tunknown\t-\n"
            }
        }
        emit(out, terminator: "")
    }
}

enum ISO8601 {
    /// `2023-09-24T16:07:04+02:00`, in the committer's own offset, as git's `%cI`.
    static func format(time: Int64, offsetMinutes: Int) -> String {
        let local = time + Int64(offsetMinutes) * 60
        let day = Day(secondsSinceEpoch: local)
        let seconds = Int(local - Int64(day.daysSinceEpoch) * 86400)
        let offset = abs(offsetMinutes)
        return "\(day)T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
            + (offsetMinutes < 0 ? "-" : "+") + "\(two(offset / 60)):\(two(offset % 60))"
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
