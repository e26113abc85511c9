import Foundation
import Testing
import TestSupport

/// The README's quickstart runs as written (issue 35, item 4): its code block is turned into a
/// shell script, command for command, with only what a reader supplies filled in (the article's
/// body) and the day fixed with `--as-of`; `check` then passes on the result.
@Suite struct ReadmeQuickstartTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The quickstart's commands: continuation lines joined, comments dropped, each kept as written.
    static func quickstartCommands() throws -> [String] {
        let readme = try String(contentsOfFile: Self.root + "/README.md", encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Quickstart").dropFirst().first)
        let block = try #require(section.components(separatedBy: "```sh\n").dropFirst().first?.components(separatedBy: "```").first)
        return ReadmeCommands.lines(block)
    }

    /// Runs the quickstart in `work` (the site ends in `work/health`), with the day fixed.
    static func runQuickstart(in work: String, then more: String = "") throws -> ProcessResult {
        var script = """
            set -euo pipefail
            review() { "$REVIEW_BIN" --as-of 2026-04-09 "$@"; }
            export GIT_AUTHOR_DATE=2026-04-09T10:00:00Z GIT_COMMITTER_DATE=2026-04-09T10:00:00Z
            export GIT_AUTHOR_NAME=Writer GIT_AUTHOR_EMAIL=w@example.org GIT_COMMITTER_NAME=Writer GIT_COMMITTER_EMAIL=w@example.org

            """
        for command in try quickstartCommands() {
            script += command + "\n"
            // What the reader does after `review new`: write the body.
            if command.hasPrefix("review new "), let slug = command.split(separator: " ").dropFirst(2).first {
                script += "sed -i 's/^\\*\\*Short answer:\\*\\* …/**Short answer:** Drink water often./' Articles/\(slug).md\n"
            }
        }
        script += more
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = URL(fileURLWithPath: work)
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": work, "REVIEW_BIN": ReviewRun.binary,
                               "REVIEW_KEY_DIR": work + "/keys", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"]
        return try ProcessResult(process)
    }

    @Test func theQuickstartRunsAsWritten() throws {
        let commands = try Self.quickstartCommands()
        // From an empty folder to a governed, published page in at most 10 commands, keys
        // included (issue 34, item 5): before, it took about 19.
        #expect(commands.count <= 10 && commands.count >= 8, "\(commands.count): \(commands)")
        #expect(commands.allSatisfy { $0.hasPrefix("review ") || $0.hasPrefix("git ") || $0.hasPrefix("cd ") }, "\(commands)")
        #expect(commands.first?.contains("--governance") == true, "the quickstart starts governed: \(commands)")
        let work = TemporaryDirectory()
        let result = try Self.runQuickstart(in: work.path, then: "review check\n")
        // Every command succeeds (the script stops at the first that does not): the article ends
        // approved and published under a signed configuration, `check` passes, and the site has its page.
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: work.path + "/health/public/dehydration.html"), "\(result.stdout)")
    }
}
