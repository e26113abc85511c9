import GitKit
import ReviewKit
import Foundation

// Temporary measurement driver.
let path = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "."
let repo = try Repository.discover(startingAt: path)
let head = try repo.headCommit()
let start = Date()
let report = try HistoryEngine().lastChanges(in: repo, at: head, under: "Articles")
let elapsed = Date().timeIntervalSince(start)
for f in report.files {
    if let c = f.commit {
        print("\(f.path)\t\(c.committer.time)\t\(c.id.hex)")
    } else {
        print("\(f.path)\tunknown\t-")
    }
}
FileHandle.standardError.write("walked \(report.commitsWalked) commits in \(elapsed)s\n".data(using: .utf8)!)
