import Paths
import ArgumentParser
import Foundation
import ReviewCore
import ReviewKit

/// `review check`: the CI gate. Exit 0 without blocking findings, 1 with, 2 on usage errors.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every article (or those changed since a revision) and fail on stale or unsafe ones.",
        discussion: """
            Writes the report to stdout in --format, and to each --output FORMAT:FILE (like \
            junit:report.xml). Every destination is checked writable before anything is printed; \
            files are written after the check ran, each atomically. Exit 1 when there is a \
            blocking (error) finding.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Format for stdout (and for --output FILE without a format): \(CheckFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: CheckFormat = .text

    @Flag(name: .customLong("require-trust-root"),
          help: "Fail unless a root of governance keys protects the configuration and its fingerprint is pinned (--trust-root or REVIEW_TRUST_ROOT).")
    var requireTrustRoot = false

    @Option(name: .customLong("changed-since"), help: ArgumentHelp("Check only articles changed between this revision and HEAD.", valueName: "rev"))
    var changedSince: String?

    @Option(help: ArgumentHelp("Also write a report: FORMAT:FILE (like sarif:review.sarif). Repeatable.", valueName: "format:file"))
    var output: [String] = []

    func validate() throws {
        do { _ = try outputs() } catch { throw ValidationError(error.problem + (error.remedy.isEmpty ? "" : "; " + error.remedy)) }
    }

    /// The requested files with their formats: `FORMAT:FILE` only (a bare `sarif` would
    /// otherwise become a file named sarif).
    func outputs() throws(ReviewError) -> [(CheckFormat, String)] {
        let formats = CheckFormat.allCases.map(\.rawValue).joined(separator: ", ")
        return try output.map { (spec) throws(ReviewError) -> (CheckFormat, String) in
            guard let colon = spec.firstIndex(of: ":") else {
                throw ReviewError("--output \(spec) names no format", remedy: "write FORMAT:FILE, like junit:report.xml (formats: \(formats))")
            }
            guard let chosen = CheckFormat(rawValue: String(spec[..<colon])) else {
                throw ReviewError("unknown format '\(spec[..<colon])' in --output \(spec)", remedy: "use one of \(formats), as FORMAT:FILE")
            }
            let file = String(spec[spec.index(after: colon)...])
            guard !file.isEmpty else { throw ReviewError("--output \(spec) names no file", remedy: "write FORMAT:FILE, like junit:report.xml") }
            return (chosen, file)
        }
    }

    func run() throws {
        let files = try outputs()
        // Every destination must be writable before anything is printed or written.
        for (_, path) in files { try OutputFile.checkWritable(path) }
        let progress = ProgressLine()
        let report = try global.reading(progress: progress).check(asOf: global.today, changedSince: changedSince,
                                                                            requireTrustRoot: requireTrustRoot)
        progress.finish()
        print(format.render(report), terminator: "")
        for (fileFormat, path) in files {
            try OutputFile.write(fileFormat.render(report), to: path)
        }
        if report.allFindings.contains(where: { $0.severity == .error }) { throw Outcome.blockingFindings }
    }
}
