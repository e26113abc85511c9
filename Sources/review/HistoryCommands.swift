import ArgumentParser
import Foundation
import GitKit
import ReviewKit

/// `review verify`: every sign-off record, checked.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every sign-off record: signature, key validity on its date, role, and that it names a revision of its article.",
        discussion: "Prints one finding per record that does not count, and exits 1 if there is any."
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let evaluation = try Evaluation(global)
        let snapshot = evaluation.snapshot
        let configuration = snapshot.configuration(asOf: global.today)
        var bad = snapshot.strayFindings.filter { $0.path.hasPrefix(RepositorySnapshot.signOffsDirectory + "/") }
        var total = bad.count
        for facts in snapshot.articles {
            total += facts.signOffs.count
            bad += WorkflowEngine.recordFindings(facts, configuration)
        }
        bad.sort()
        for finding in bad { print("\(finding.location): error: \(finding.message) [\(finding.rule.rawValue)]") }
        print("\(total) sign-off record\(total == 1 ? "" : "s") at \(evaluation.head.short): \(total - bad.count) verified, \(bad.count) not counted")
        if !bad.isEmpty { throw Outcome.blockingFindings }
    }
}

/// `review diff ARTICLE`: what changed since the last fully approved revision.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show the unified diff of an article since its last fully approved revision."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The article: a slug or a path.")
    var article: String

    func run() throws {
        let evaluation = try Evaluation(global)
        guard let status = try evaluation.selecting([article]).first else { return }
        guard let approved = status.lastApprovedRevision else {
            print("\(status.path) has no fully approved revision yet; every line of it is unreviewed.")
            return
        }
        guard approved != status.revision else {
            print("\(status.path) is unchanged since its approved revision \(approved.prefix(7)) (\(status.lastReviewed?.description ?? "?")).")
            return
        }
        do {
            let patch = try evaluation.repository.patch(from: ObjectID(hex: approved), to: ObjectID(hex: status.revision), path: status.path)
            print("# \(status.path): approved revision \(approved.prefix(7)) (\(status.lastReviewed?.description ?? "?")) → current \(status.revision.prefix(7))")
            print(TerminalStyle.current.colourDiff(patch.text), terminator: "")
        } catch {
            throw ReviewError(error)
        }
    }
}

extension TerminalStyle {
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

/// `review log [ARTICLE]`: edits and sign-offs, newest first.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show edits and sign-offs, newest first: who, when, what, which revision."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

    @OptionGroup var global: GlobalOptions

    @Option(help: "Output format: text or json.")
    var format: Format = .text

    @Option(help: "Show at most this many entries.")
    var limit: Int = 100

    @Argument(help: "An article (slug or path); all articles when omitted.")
    var article: String?

    func validate() throws {
        guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let repository = try global.openRepository()
        let head: ObjectID
        do { head = try repository.headCommit() } catch { throw ReviewError(error) }
        var only: Set<String>?
        if let article {
            only = [try ArticleLookup.find(article, in: ArticleLookup.articles(in: repository, at: head)).path]
        }
        let snapshot = try RepositorySnapshot.load(from: repository, revision: head, only: only, trackAll: true)
        let entries = Array(ReviewLog.entries(snapshot.articles).prefix(limit))
        switch format {
        case .text: print(ReviewLog.text(entries), terminator: "")
        case .json: print(ReviewLog.json(entries), terminator: "")
        }
    }
}
