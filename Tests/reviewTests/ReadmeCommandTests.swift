import Foundation
import Testing
import TestSupport
@testable import review

/// Reads the `review …` commands out of the README's code blocks.
enum ReadmeCommands {
    /// The commands of one code block: continuation lines joined, comments dropped, each kept as written.
    static func lines(_ block: String) -> [String] {
        var commands: [String] = []
        var pending = ""
        for raw in block.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            if let comment = line.range(of: "  #") ?? (line.hasPrefix("#") ? line.range(of: "#") : nil) { line = String(line[..<comment.lowerBound]) }
            line = line.trimmingCharacters(in: .whitespaces)
            if line.hasSuffix("\\") { pending += line.dropLast() + " "; continue }
            line = pending + line
            pending = ""
            if !line.isEmpty { commands.append(line) }
        }
        return commands
    }

    /// Every `review …` command in every fenced code block of `markdown`, in order.
    static func all(in markdown: String) -> [String] {
        var commands: [String] = []
        var block: String?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                if let text = block { commands += lines(text).filter { $0.hasPrefix("review ") } }
                block = block == nil ? "" : nil
            } else if block != nil {
                block! += line + "\n"
            }
        }
        return commands
    }

    /// A command's arguments after `review`, split as a shell splits them (double quotes; a
    /// redirection and what follows it dropped), with the README's placeholders filled in.
    static func arguments(_ command: String, values: [String: String]) -> [String] {
        var words: [String] = []
        var word = "", quoted = false, inWord = false
        for character in command {
            if character == "\"" { quoted.toggle(); inWord = true; continue }
            if character == " " && !quoted {
                if inWord { words.append(word) }
                word = ""; inWord = false
                continue
            }
            word.append(character)
            inWord = true
        }
        if inWord { words.append(word) }
        if let redirect = words.firstIndex(of: ">") { words.removeSubrange(redirect...) }
        return words.dropFirst().map { values[$0] ?? $0 }
    }
}

/// Every command the README shows is one the command line accepts as written (issue 35,
/// item 4): each is parsed by the `review` command tree, and those that only read are run on
/// the site the quickstart makes.
@Suite struct ReadmeCommandTests {
    static let readme = ReadmeQuickstartTests.root + "/README.md"

    /// What a reader fills in for the README's placeholders (a key, an id, a date…).
    static let sampleValues: [String: String] = [
        "SLUG": "fever", "T": "Fever", "C": "general", "S": "children",
        "ID": "zoe-ng", "N": "Dr Zoe Ng", "FILE": "zoe.key.json", "DATE": "2026-12-31",
        "KEY": "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "ID=KEY": "zoe-ng=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
        "sha256:…": "sha256:" + String(repeating: "0", count: 64),
    ]

    /// Whether the command line's parser accepts `arguments` (nothing is run).
    static func parses(_ arguments: [String]) -> String? {
        do {
            _ = try Review.parseAsRoot(Review.hoistingGlobalOptions(arguments))
            return nil
        } catch {
            return Review.message(for: error)
        }
    }

    static func commands() throws -> [String] {
        ReadmeCommands.all(in: try String(contentsOfFile: readme, encoding: .utf8))
    }

    @Test func everyReadmeCommandParses() throws {
        let commands = try Self.commands()
        #expect(commands.count >= 40, "\(commands.count) commands found: \(commands)")
        for command in commands {
            let arguments = ReadmeCommands.arguments(command, values: Self.sampleValues)
            #expect(Self.parses(arguments) == nil, "README: '\(command)' is not accepted: \(Self.parses(arguments) ?? "")")
        }
    }

    /// The check above can fail: a flag or a command that does not exist is refused.
    @Test func aCommandTheToolDoesNotHaveIsRefused() {
        let fake = "```sh\nreview status --colour\nreview frobnicate\nreview governance sgin --as x\nreview approve a --as x --role y --comment \"ok\" --later\n```\n"
        let commands = ReadmeCommands.all(in: fake)
        #expect(commands.count == 4)
        for command in commands {
            #expect(Self.parses(ReadmeCommands.arguments(command, values: [:])) != nil, "\(command)")
        }
    }

    /// The commands that only read (and `baseline`, `keygen`), run as written on the quickstart's
    /// site (`origin/main`, which a fresh repository lacks, is its `HEAD`; placeholders take the
    /// sample values): each ends 0, or 1 where findings block. The rest are parsed above and the
    /// quickstart's own commands run in ``ReadmeQuickstartTests``; writers that would change what
    /// the others read (approve, retract, publish, governance and reviewer changes, serve) are
    /// only parsed.
    @Test func theReadingCommandsRunOnTheQuickstartsSite() throws {
        let reading: Set<String> = ["status", "diff", "log", "check", "verify", "due", "last-changes"]
        let runnable = try Self.commands().filter { command in
            let arguments = ReadmeCommands.arguments(command, values: [:])
            guard let name = arguments.first else { return false }
            if reading.contains(name) { return !arguments.contains("--bundle") }
            // And what writes only beside the history: the baseline file, a new key.
            return ["review publish --dry-run --list", "review governance status --diff", "review governance fingerprint",
                    "review reviewer list", "review baseline", "review keygen ID"].contains(command)
        }
        #expect(runnable.count >= 19, "\(runnable)")
        let work = TemporaryDirectory()
        var script = ""  // in health/, where the quickstart left off
        for (index, command) in runnable.enumerated() {
            let words = ReadmeCommands.arguments(command, values: Self.sampleValues.merging(["origin/main": "HEAD"]) { $1 }).map { "'\($0)'" }.joined(separator: " ")
            script += "set +e; review \(words) >/dev/null 2>\"$HOME/err\"; code=$?; set -e\n"
            script += "echo \"README-RUN \(index) $code $(head -1 \"$HOME/err\")\"\n"
        }
        let result = try ReadmeQuickstartTests.runQuickstart(in: work.path, then: script)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        let codes = result.stdout.split(separator: "\n").compactMap { line -> (Int, String)? in
            guard line.hasPrefix("README-RUN ") else { return nil }
            let parts = line.dropFirst("README-RUN ".count).split(separator: " ", maxSplits: 1)
            guard let index = parts.first.flatMap({ Int($0) }), index < runnable.count else { return nil }
            return (index, parts.dropFirst().first.map(String.init) ?? "")
        }
        #expect(codes.count == runnable.count, "\(result.stdout)")
        for (index, outcome) in codes {
            #expect(outcome.hasPrefix("0") || (outcome.hasPrefix("1") && ["check", "verify"].contains { runnable[index].hasPrefix("review " + $0) }),
                    "README: '\(runnable[index])' ended \(outcome)")
        }
    }
}
