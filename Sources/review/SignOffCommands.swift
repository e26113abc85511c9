import ArgumentParser
import Foundation
import ReviewCore
import ReviewKit

/// Options shared by `approve` and `request-changes`.
struct SignOffOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Argument(help: "The article: a slug or a path.")
    var article: String

    @Option(name: .customLong("as"), help: ArgumentHelp("Your reviewer id.", valueName: "reviewer"))
    var reviewer: String

    @Option(help: "The role you sign for (from the policy's roles).")
    var role: String

    /// When the decision is signed: now, or noon UTC on `--as-of` (for reproducible runs).
    var timestamp: Int64 {
        if let day = global.asOf { return Int64(day.daysSinceEpoch) * 86400 + 12 * 3600 }
        return global.now
    }

    func record(_ decision: SignOff.Decision, comment: String) throws {
        let session = try global.session()
        let store = KeyStore()
        try session.checkKeyDirectory(store)
        let key = try store.privateKey(for: reviewer)
        let request = SignOffRequest(article: article, reviewer: reviewer, role: role, decision: decision,
                                     comment: comment, timestamp: timestamp)
        let (signOff, commit) = try session.record(request, key: key)
        emit(TerminalSafe.clean("\(decision == .approve ? "Approved" : "Requested changes on") \(signOff.article) (revision \(signOff.blob.prefix(7))) as \(signOff.role): \(signOff.canonicalPath) in commit \(commit.prefix(7))"))
    }
}

/// `review approve ARTICLE --as REVIEWER --role ROLE [--comment TEXT]`.
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Sign an approval of the article's current revision and commit it."
    )

    @OptionGroup var options: SignOffOptions

    @Option(help: "A note kept with the approval.")
    var comment: String = ""

    func run() throws { try options.record(.approve, comment: comment) }
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
