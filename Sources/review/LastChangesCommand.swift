import ArgumentParser
import GitKit
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
    var under = RepositorySnapshot.articlesDirectory

    func run() throws {
        let repository = try global.openRepository()
        let commit: ObjectID
        do {
            commit = try repository.resolveCommit(revision)
        } catch { throw ReviewError(error) }
        let report: LastChangeReport
        do {
            report = try HistoryEngine().lastChanges(in: repository, at: commit, under: under)
        } catch { throw ReviewError(error) }
        var out = ""
        for file in report.files {
            if let c = file.commit {
                out += "\(file.path)\t\(ISO8601.format(c.committer))\t\(c.id.hex)\n"
            } else {
                out += "\(file.path)\tunknown\t-\n"
            }
        }
        print(out, terminator: "")
    }
}

enum ISO8601 {
    /// `2023-09-24T16:07:04+02:00`, in the signature's own offset, as git's `%cI`.
    static func format(_ signature: Signature) -> String {
        let local = signature.time + Int64(signature.offsetMinutes) * 60
        let day = Day(secondsSinceEpoch: local)
        let seconds = Int(local - Int64(day.daysSinceEpoch) * 86400)
        let offset = abs(Int(signature.offsetMinutes))
        return "\(day)T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
            + (signature.offsetMinutes < 0 ? "-" : "+") + "\(two(offset / 60)):\(two(offset % 60))"
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
