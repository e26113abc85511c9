import Paths
import ArgumentParser
import Foundation
import ReviewCore
import ReviewKit

/// Options shared by `approve` and `request-changes`.
struct SignOffOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Argument(help: "The article: a slug or a path (approve takes several).")
    var articles: [String] = []

    @Option(help: ArgumentHelp("approve: every article below this folder (a path such as Articles/neurology).", valueName: "dir"))
    var folder: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("Your reviewer id.", valueName: "reviewer"))
    var reviewer: String

    @Option(help: "The role you sign for (from the policy's roles).")
    var role: String

    /// When the decision is signed: now, or noon UTC on `--as-of` (for reproducible runs).
    var timestamp: Int64 {
        if let day = global.asOf { return Int64(day.daysSinceEpoch) * 86400 + 12 * 3600 }
        return global.now
    }

    func record(_ decision: SignOff.Decision, comment: String, changeNote: String? = nil) throws {
        if decision == .requestChanges, articles.count != 1 || folder != nil {
            throw ReviewError("request-changes takes exactly one article", remedy: "each request needs its own comment")
        }
        let decisions = try global.decisions()
        var names = articles
        if let folder { names += try decisions.articlePaths(inFolder: folder).map(\.text) }
        guard !names.isEmpty else { throw ReviewError("name the article to sign (a slug or a path), or --folder DIR") }
        let store = KeyStore()
        try decisions.checkKeyDirectory(store)
        let key = try store.privateKey(for: reviewer)
        let requests = names.map {
            var request = SignOffRequest(article: $0, reviewer: reviewer, role: role, decision: decision, comment: comment, timestamp: timestamp)
            request.changeNote = changeNote
            return request
        }
        let (records, commit) = try decisions.record(requests, key: key)
        let verb = decision == .approve ? "Approved" : "Requested changes on"
        if records.count == 1, let record = records.first {
            let signOff = record.signOff
            emit(TerminalSafe.clean("\(verb) \(signOff.article) (revision \(signOff.blob.prefix(7))) as \(signOff.role): \(record.path) in commit \(commit.prefix(7))"))
        } else {
            for record in records { emit(TerminalSafe.clean("  \(record.signOff.article) (revision \(record.signOff.blob.prefix(7))): \(record.path)")) }
            emit("\(verb) \(records.count) articles as \(role) in commit \(commit.prefix(7)), one signed record each.")
        }
    }
}

/// `review approve ARTICLE --as REVIEWER --role ROLE [--comment TEXT]`.
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Sign an approval of the article's current revision and commit it (several articles, or a --folder: one commit, one record each)."
    )

    @OptionGroup var options: SignOffOptions

    @Option(help: "A note kept with the approval.")
    var comment: String = ""

    @Option(name: .customLong("change-note"), help: "A public note on what changed in this revision, signed with the approval (the page's \"What changed\").")
    var changeNote: String?

    func run() throws { try options.record(.approve, comment: comment, changeNote: changeNote) }
}

/// `review request-changes ARTICLE --as REVIEWER --role ROLE --comment TEXT`.
struct RequestChangesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request-changes",
        abstract: "Sign a request for changes to the article's current revision and commit it."
    )

    @OptionGroup var options: SignOffOptions

    @Option(help: "What must change.")
    var comment: String

    func run() throws { try options.record(.requestChanges, comment: comment) }
}
