import ArgumentParser
import Foundation
import GitKit
import ReviewKit

/// `review check`: the CI gate. Exit 0 without blocking findings, 1 with, 2 on usage errors.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every article (or those changed since a revision) and fail on stale or unsafe ones.",
        discussion: """
            Writes the report to stdout in --format, and to each --output: 'FORMAT:FILE' (like \
            junit:report.xml) or just FILE in --format. Files are written only after the check \
            ran, each atomically. Exit 1 when there is a blocking (error) finding.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "Format for stdout (and for --output FILE without a format): \(CheckFormat.allCases.map(\.rawValue).joined(separator: ", ")).")
    var format: CheckFormat = .text

    @Option(name: .customLong("changed-since"), help: ArgumentHelp("Check only articles changed between this revision and HEAD.", valueName: "rev"))
    var changedSince: String?

    @Option(help: ArgumentHelp("Also write a report: FORMAT:FILE or FILE. Repeatable.", valueName: "[format:]file"))
    var output: [String] = []

    func validate() throws {
        do { _ = try outputs() } catch { throw ValidationError(error.problem + (error.remedy.isEmpty ? "" : "; " + error.remedy)) }
    }

    /// The requested files with their formats.
    func outputs() throws(ReviewError) -> [(CheckFormat, String)] {
        try output.map { (spec) throws(ReviewError) -> (CheckFormat, String) in
            if let colon = spec.firstIndex(of: ":"), let chosen = CheckFormat(rawValue: String(spec[..<colon])) {
                let file = String(spec[spec.index(after: colon)...])
                guard !file.isEmpty else { throw ReviewError("--output \(spec) names no file", remedy: "write FORMAT:FILE, like junit:report.xml") }
                return (chosen, file)
            }
            if let colon = spec.firstIndex(of: ":"), !spec[..<colon].contains("/") {
                throw ReviewError("unknown format '\(spec[..<colon])' in --output \(spec)",
                                  remedy: "use one of \(CheckFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return (format, spec)
        }
    }

    func run() throws {
        let files = try outputs()
        var report: StatusReport
        if let changedSince {
            let repository = try global.openRepository()
            let head: ObjectID
            do { head = try repository.headCommit() } catch { throw ReviewError(error) }
            let scope = try ChangeScope(repository: repository, since: changedSince, head: head)
            // Read only the articles in scope, walking history from the base when that suffices.
            let paths = scope.everything ? nil : try scope.articlePaths(repository: repository, head: head)
            let snapshot = try RepositorySnapshot.load(from: repository, revision: head, only: paths,
                                                       since: scope.everything ? nil : scope.base)
            report = StatusReport(snapshot: snapshot, asOf: global.today)
            report.articles = report.articles.filter { scope.includes($0) }
            report.otherFindings = report.otherFindings.filter { scope.includesFile($0.path) }
        } else {
            report = try Evaluation(global).report
        }
        print(format.reporter.render(report), terminator: "")
        for (fileFormat, path) in files {
            try OutputFile.write(fileFormat.reporter.render(report), to: path)
        }
        if report.allFindings.contains(where: { $0.severity == .error }) { throw Outcome.blockingFindings }
    }
}

/// Which articles a change between two revisions touches.
struct ChangeScope {
    let base: ObjectID
    let everything: Bool
    let paths: Set<String>

    init(repository: Repository, since revision: String, head: ObjectID) throws(ReviewError) {
        do {
            base = try repository.resolveCommit(revision)
            let changed = try repository.changedFiles(from: base, to: head, under: "Articles")
                + repository.changedFiles(from: base, to: head, under: "Reviews")
            paths = Set(changed)
            // A changed policy, reviewer list or disclaimer can change every article's verdict.
            everything = changed.contains { $0.hasPrefix("Reviews/") && !$0.hasPrefix("Reviews/signoffs/") }
        } catch {
            throw ReviewError(error)
        }
    }

    func includes(_ status: ArticleStatus) -> Bool {
        everything || paths.contains(status.path)
            || paths.contains { $0.hasPrefix("Reviews/signoffs/\(status.slug)/") }
    }

    func includesFile(_ path: String) -> Bool { everything || paths.contains(path) }

    /// The article files in scope: changed ones, and those whose sign-offs changed.
    func articlePaths(repository: Repository, head: ObjectID) throws(ReviewError) -> Set<String> {
        let slugs = Set(paths.compactMap { path -> String? in
            let parts = path.split(separator: "/")
            return path.hasPrefix("Reviews/signoffs/") && parts.count >= 4 ? String(parts[2]) : nil
        })
        var result = Set(paths.filter { $0.hasPrefix("Articles/") })
        guard !slugs.isEmpty else { return result }
        do {
            for file in try repository.files(under: "Articles", inTree: repository.commit(head).tree)
            where slugs.contains(ArticleParser.slug(of: file.path)) {
                result.insert(file.path)
            }
        } catch {
            throw ReviewError(error)
        }
        return result
    }
}

/// Writes report files atomically: a temporary sibling, then `rename`.
enum OutputFile {
    static func write(_ text: String, to path: String) throws(ReviewError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ReviewError(file: path, "cannot write the report: \(error.localizedDescription)", remedy: "check the directory exists and is writable")
        }
    }
}
