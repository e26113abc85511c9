import Paths
import ArgumentParser
import Foundation
import ReviewCore
import ReviewKit

/// `review verify`: every sign-off record, checked.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every sign-off record, the configuration's signatures, and that everything on the published ref is justified.",
        discussion: "Prints one finding per record that does not count, per unsigned configuration change, and per published file no signed publication or approval justifies; exits 1 if there is any."
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: ArgumentHelp("Check one page's verification bundle (from 'publish --site') offline, with no repository; needs --trust-root.",
                               valueName: "file"))
    var bundle: String?

    @Option(help: ArgumentHelp("With --bundle: the rendered page to check against it (default: the .html beside the bundle).", valueName: "file"))
    var page: String?

    func run() throws {
        if let bundle {
            guard let pinned = try global.pinnedRoot() else {
                throw ReviewError("--bundle needs the root fingerprint to trust", remedy: "pass --trust-root sha256:… as published outside the repository")
            }
            guard let data = FileManager.default.contents(atPath: bundle) else {
                throw ReviewError(file: bundle, "cannot read the bundle", remedy: "pass the path of a .bundle.json file")
            }
            // The page beside the bundle (flu.bundle.json → flu.html), unless one is named.
            let pagePath = page ?? (bundle.hasSuffix(".bundle.json") ? String(bundle.dropLast(".bundle.json".count)) + ".html" : bundle + ".html")
            if page != nil, !FileManager.default.fileExists(atPath: pagePath) {
                throw ReviewError(file: pagePath, "cannot read the page", remedy: "pass the path of the rendered .html page")
            }
            let verdict = BundleVerifier.verify(Array(data), pinned: pinned, page: FileManager.default.contents(atPath: pagePath).map(Array.init))
            emit(verdict.text, terminator: "")
            if !verdict.verified { throw Outcome.blockingFindings }
            return
        }
        let progress = ProgressLine()
        let report = try global.reading(progress: progress).verify(asOf: global.today)
        progress.finish()
        emit(report.text, terminator: "")
        if report.failed { throw Outcome.blockingFindings }
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
        let (diff, fragments) = try global.reading().diffWithFragments(article, asOf: global.today)
        show(diff)
        // The included fragments not approved at their current revision (docs/fragments.md).
        for fragment in fragments {
            emit("")
            emit("Included fragment:")
            show(fragment)
        }
    }

    private func show(_ diff: ArticleDiff) {
        switch diff {
        case .neverApproved(let status):
            emit("\(status.path) has no fully approved revision yet; every line of it is unreviewed.")
        case .unchanged(let status):
            emit("\(status.path) is unchanged since its approved revision \(status.lastApprovedRevision?.prefix(7) ?? "?") (\(status.lastReviewed?.description ?? "?")).")
        case .changed(let status, let patch, _, _):
            emit("# \(status.path): approved revision \(status.lastApprovedRevision?.prefix(7) ?? "?") (\(status.lastReviewed?.description ?? "?")) → current \(status.revision.prefix(7))")
            emit(TerminalStyle.current.colourDiff(TerminalSafe.cleanLines(patch)), terminator: "")
        }
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
        let entries = try global.reading().log(article: article, limit: limit)
        switch format {
        case .text: emit(LogReporter.text(entries), terminator: "")
        case .json: emit(LogReporter.json(entries), terminator: "")
        }
    }
}
