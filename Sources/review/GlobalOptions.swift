import Paths
import ArgumentParser
import Foundation
import ReviewCore
import ReviewKit

extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// Options every command accepts, before or after the command name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The content repository (default: the one containing the current directory).", valueName: "path"))
    var repo: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Treat this UTC date as today (YYYY-MM-DD).", valueName: "date"))
    var asOf: Day?

    @Option(name: .customLong("trust-root"),
            help: ArgumentHelp("The fingerprint of the repository's first trust root, pinned outside it (default: $REVIEW_TRUST_ROOT).",
                               valueName: "sha256:…"))
    var trustRoot: String?

    /// How commands open the repository: caches on; the pin from `--trust-root`,
    /// `REVIEW_TRUST_ROOT`, or the per-user known-roots file (written on first use unless
    /// `CI=true`), else the published ref's latest signed publication (``TrustPins``).
    func sessionOptions() throws(ReviewError) -> ReviewSession.Options {
        let environment = ProcessInfo.processInfo.environment
        var options = ReviewSession.Options(trustRoot: try pinnedRoot())
        options.trustRootSource = trustRoot != nil ? .option : .environment
        options.knownRoots = KnownRoots.file(environment: environment)
        options.inCI = Self.isCI(environment)
        return options
    }

    /// `CI=true` (or `1`), as GitHub Actions, GitLab CI and most CI services set it.
    static func isCI(_ environment: [String: String]) -> Bool {
        ["true", "1", "yes"].contains(environment["CI"]?.lowercased() ?? "")
    }

    /// `--trust-root`, or `$REVIEW_TRUST_ROOT`, checked for form.
    func pinnedRoot() throws(ReviewError) -> String? {
        let environment = ProcessInfo.processInfo.environment["REVIEW_TRUST_ROOT"].flatMap { $0.isEmpty ? nil : $0 }
        guard let given = trustRoot ?? environment else { return nil }
        guard let normalised = TrustRoot.normalised(fingerprint: given) else {
            throw ReviewError("\(trustRoot != nil ? "--trust-root" : "REVIEW_TRUST_ROOT") '\(given)' is not a root fingerprint",
                              remedy: "pass the 'sha256:' and 64 hex digits 'review governance fingerprint' printed")
        }
        return normalised
    }

    /// `--as-of`, or today's UTC date.
    var today: Day {
        asOf ?? Day(secondsSinceEpoch: now)
    }

    /// The current time, seconds since the epoch.
    var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// Reading state over `--repo` (or the repository containing the current directory), with a
    /// progress line on a terminal: `status`, `check`, `verify`, `due`, `diff`, `log`, `last-changes`.
    func reading(progress: ProgressLine? = nil) throws(ReviewError) -> ReviewSession.Reading {
        try session(progress: progress).reading
    }

    /// Recording decisions: `approve`, `request-changes`, `retract`.
    func decisions() throws(ReviewError) -> ReviewSession.Decisions { try session().decisions }

    /// Governance over `path` (default `--repo`): `governance …`, the reviewer commands, `init --sign-as`.
    func governance(at path: String? = nil) throws(ReviewError) -> ReviewSession.Governance { try session(at: path).governance }

    /// Publishing: `publish`.
    func publishing() throws(ReviewError) -> ReviewSession.Publishing { try session().publishing }

    /// Authoring and setup: `new`, `baseline`, `keygen`.
    func authoring() throws(ReviewError) -> ReviewSession.Authoring { try session().authoring }

    /// The session over `path`, `--repo`, or the repository containing the current directory; caches
    /// on, and a progress line on a terminal. Commands take the use case they need from it (above).
    private func session(at path: String? = nil, progress: ProgressLine? = nil) throws(ReviewError) -> ReviewSession {
        let session = try ReviewSession.open(path ?? repo, options: try sessionOptions())
        if let notice = session.pinNotice { Review.printError("review: " + notice) }
        if let notice = session.cacheNotice { LateNotice.set("review: warning: " + notice) }
        session.progress = progress?.handler
        return session
    }
}

/// A warning said once the command has done its work, never beside an error's one line: that
/// caches are off (``ReviewSession/cacheNotice``).
enum LateNotice {
    private final class Box: @unchecked Sendable {
        let lock = NSLock()
        var line: String?
    }
    private static let box = Box()

    static func set(_ line: String) { box.lock.withLock { box.line = line } }

    /// The warning, once (`nil` after it was taken).
    static func take() -> String? {
        box.lock.withLock {
            defer { box.line = nil }
            return box.line
        }
    }
}
