import ArgumentParser
import ReviewCore
import ReviewKit

/// `review baseline`: accept the content-rule findings there are now, so `check` reports only new ones.
struct BaselineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baseline",
        abstract: "Write Reviews/accepted-findings.yml: today's content-rule findings, so check and status report only new ones (not committed).",
        discussion: """
            Lists every content-rule finding at HEAD (after the policy's rules: and the articles' \
            review-ignore comments) by rule, path and message, with a count; never by line, so moved \
            text stays matched. Run it again to shrink the baseline as findings are fixed. Commit the \
            file; where a root governs, it counts once governance signs it.
            """
    )

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let (baseline, _) = try global.authoring().writeBaseline(asOf: global.today)
        let articles = baseline.entries.count
        emit("Wrote \(AcceptedFindings.path): \(baseline.count) finding\(baseline.count == 1 ? "" : "s") in \(articles) article\(articles == 1 ? "" : "s"); "
             + "review it, commit it, and where a root governs have it signed ('review governance sign').")
    }
}
