import Paths
import ArgumentParser
import Foundation
import ReviewCore
import ReviewKit

/// `review publish [--dry-run] [--site DIR]`.
struct PublishCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "publish",
        abstract: "Move the published ref to approved revisions only, and optionally render the site.",
        discussion: """
            Each article is published at its newest revision that every required role approved \
            and that carries its disclaimers; unapproved later edits stay out. An overdue article \
            stays up with a visible notice, or comes down, as its category's when-overdue says. \
            Exit 1 when no article could be published, or when the run would take down more of \
            the published articles than max-unpublish-percent allows (nothing is moved then).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .customLong("dry-run"), help: "Print what would be added, updated, held back and removed; change nothing.")
    var dryRun = false

    @Option(help: ArgumentHelp("Render the published articles to static HTML in this directory (review replaces only the files it wrote there).", valueName: "dir"))
    var site: String?

    @Flag(name: .customLong("into-existing"), help: "Render into a --site directory that holds files review did not write; they are kept.")
    var intoExisting = false

    @Flag(name: .customLong("allow-removals"), help: "Take down more published articles than the policy's max-unpublish-percent allows.")
    var allowRemovals = false

    @Flag(name: .customLong("accept-rewrite"),
          help: "Publish although the branch no longer holds what the last signed publication attests (history-rewritten): only for a rewrite that was meant; needs --as.")
    var acceptRewrite = false

    @Option(name: .customLong("as"), help: ArgumentHelp("A publisher key the root lists, to sign the publication (read from $REVIEW_KEY_DIR/<id>.key).", valueName: "id"))
    var publisher: String?

    @Flag(help: "List every article added, updated, overdue, held back or taken down (otherwise: counts only).")
    var list = false

    func run() throws {
        let publishing = try global.publishing()
        // A site directory review may not write stops the run before the published ref moves.
        if let site, !dryRun { try publishing.checkSiteDirectory(site, intoExisting: intoExisting) }
        let signer = try publisher.map { (id) throws -> Publisher.Signer in
            let store = KeyStore()
            try publishing.checkKeyDirectory(store)
            return Publisher.Signer(id: id, key: try store.privateKey(for: id))
        }
        let outcome = try publishing.publish(asOf: global.today, dryRun: dryRun, now: global.now, allowRemovals: allowRemovals, signer: signer,
                                          acceptRewrite: acceptRewrite)
        if list {
            for line in outcome.plan.summaryLines { emit(TerminalSafe.clean(line)) }
        }
        emit(outcome.plan.countsLine + (list || outcome.plan.summaryLines.isEmpty ? "" : " (--list shows each)"))
        if let pending = outcome.pendingConfiguration {
            Review.printError("review: note: this publication uses the configuration version in force; a change waits for governance signatures: \(TerminalSafe.clean(pending))")
        }
        if let refusal = outcome.refusal {
            Review.printError("error: refused: \(refusal); \(Publisher.reference) was not moved")
            throw Outcome.blockingFindings
        }
        if dryRun {
            emit("dry run: \(outcome.plan.entries.count) article\(outcome.plan.entries.count == 1 ? "" : "s") would be published; nothing was changed")
        } else if outcome.upToDate {
            emit("\(Publisher.reference) is up to date (\(outcome.plan.entries.count) articles)")
        } else if let commit = outcome.commit {
            emit("published \(outcome.plan.entries.count) article\(outcome.plan.entries.count == 1 ? "" : "s") in \(commit.prefix(7)) on \(Publisher.reference)")
        }
        if let site, !dryRun, outcome.commit != nil || outcome.upToDate {
            let count = try publishing.renderSite(to: site, intoExisting: intoExisting)
            emit("rendered \(count) article page\(count == 1 ? "" : "s") and the index into \(site)")
        }
        // A run whose only work is taking pages down by retraction succeeded (issue 38): a deploy
        // step gated on exit 0 must ship the withdrawal notices.
        let withdrew = !outcome.plan.withdrawals.isEmpty && (dryRun || outcome.commit != nil || outcome.upToDate)
        if outcome.plan.entries.isEmpty && !withdrew { throw Outcome.blockingFindings }
    }
}
