import Paths
import ArgumentParser
import Foundation
import ReviewCore
import ReviewKit

/// `review retract ARTICLE --as REVIEWER --reason TEXT [--role ROLE]`: a signed retraction.
struct RetractCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retract",
        abstract: "Sign a retraction and commit it: the next publish takes the page down at once and leaves a notice saying why.",
        discussion: """
            The reason is public: the withdrawn page shows it. Only a reviewer holding a role the article's category \
            requires may retract. The retraction stands until every required role approves a newer revision of the \
            article (re-approving the retracted text does not lift it).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The article: a slug or a path.")
    var article: String

    @Option(name: .customLong("as"), help: ArgumentHelp("Your reviewer id.", valueName: "reviewer"))
    var reviewer: String

    @Option(help: "The role you sign for (default: the first role the article's category requires that you hold).")
    var role: String?

    @Option(help: "Why the page comes down (shown to readers).")
    var reason: String

    @Option(help: "A note kept with the record (not shown to readers).")
    var comment: String = ""

    func run() throws {
        let decisions = try global.decisions()
        let store = KeyStore()
        try decisions.checkKeyDirectory(store)
        let key = try store.privateKey(for: reviewer)
        // When the decision is signed: now, or noon UTC on `--as-of` (for reproducible runs).
        let timestamp = global.asOf.map { Int64($0.daysSinceEpoch) * 86400 + 12 * 3600 } ?? global.now
        var request = SignOffRequest(article: article, reviewer: reviewer, role: role ?? "", decision: .retract, comment: comment,
                                     timestamp: timestamp)
        request.reason = reason
        let (records, commit) = try decisions.record([request], key: key)
        let signOff = records[0].signOff
        emit(TerminalSafe.clean("Retracted \(signOff.article) (revision \(signOff.blob.prefix(7))) as \(signOff.role): \(records[0].path) in commit \(commit.prefix(7))"))
        emit("The next 'review publish' takes the page down and leaves a notice with the reason.")
    }
}
