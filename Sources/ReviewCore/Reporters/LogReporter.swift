import Paths
import Foundation

/// Prints `review log` entries as text lines or JSON.
public enum LogReporter {
    public static func text(_ entries: [ReviewLog.Entry]) -> String {
        entries.map { e in
            let safe = TerminalSafe.clean
            var line = "\(Timestamp.format(e.time))  \(e.action.padding(toLength: 17, withPad: " ", startingAt: 0))  \(safe(e.article.text))"
            line += "  by \(safe(e.who))" + (e.role.map { " (\(safe($0)))" } ?? "")
            if let revision = e.revision { line += "  revision \(revision.prefix(7))" }
            if let commit = e.commit { line += "  commit \(commit.prefix(7))" }
            if let comment = e.comment { line += "  \"\(safe(comment))\"" }
            return line + "\n"
        }.joined()
    }

    public static func json(_ entries: [ReviewLog.Entry]) -> String { JSONOutput.encode(entries) }
}
