import Paths
import Foundation
import GitKit
import ReviewCore

/// The per-user file of repositories' first-root fingerprints, as SSH keeps `known_hosts`: a
/// governed repository read without `--trust-root` or `REVIEW_TRUST_ROOT` is read against the
/// fingerprint recorded for it, recorded on first use (outside CI) with a notice, and a later
/// mismatch is an error.
///
/// One line per repository, `<fingerprint> <repository>`, the repository named by its
/// `remote.origin.url` (so every clone of one origin shares the line), or `file:` and its git
/// directory when it has no origin; `#` starts a comment. `REVIEW_KNOWN_ROOTS` names another
/// file; `/dev/null` reads as empty and is never written (SSH's `UserKnownHostsFile /dev/null`).
public struct KnownRoots: Sendable, Equatable {
    public var file: String

    public init(file: String) { self.file = file }

    /// The file the environment names: `REVIEW_KNOWN_ROOTS`, else
    /// `$XDG_CONFIG_HOME/review/known-roots`, else `~/.config/review/known-roots` (`nil`
    /// without a home).
    public static func file(environment: [String: String]) -> KnownRoots? {
        if let named = environment["REVIEW_KNOWN_ROOTS"], !named.isEmpty { return KnownRoots(file: named) }
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") { return KnownRoots(file: config + "/review/known-roots") }
        guard let home = environment["HOME"], home.hasPrefix("/") else { return nil }
        return KnownRoots(file: home + "/.config/review/known-roots")
    }

    /// How a repository is named in the file.
    public static func identity(of repository: Repository) -> String {
        if var url = repository.configurationValue("remote.origin.url")?.trimmingCharacters(in: .whitespaces), !url.isEmpty {
            while url.hasSuffix("/") { url.removeLast() }
            if url.hasSuffix(".git") { url.removeLast(4) }
            return url
        }
        let directory = URL(fileURLWithPath: repository.commonDirectory).resolvingSymlinksInPath().path
        return "file:" + directory
    }

    /// The recorded fingerprint for `identity`, with its line.
    /// - Throws: a malformed line, named by file and line.
    public func fingerprint(for identity: String) throws(ReviewError) -> (fingerprint: String, line: Int)? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        for (index, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let fingerprint = TrustRoot.normalised(fingerprint: String(parts[0])) else {
                throw ReviewError(file: file, line: index + 1, "not '<sha256:fingerprint> <repository>'",
                                  remedy: "correct or delete the line (review records one per repository it reads)")
            }
            if String(parts[1]).trimmingCharacters(in: .whitespaces) == identity { return (fingerprint, index + 1) }
        }
        return nil
    }

    /// Appends a line for `identity` (atomically: the file is rewritten beside and renamed; its
    /// folder is made private). Nothing is written to `/dev/null`.
    /// - Returns: the line written, or `nil` when nothing was.
    public func record(_ fingerprint: String, for identity: String) throws(ReviewError) -> Int? {
        guard file != "/dev/null" else { return nil }
        let url = URL(fileURLWithPath: file)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            var text = FileManager.default.contents(atPath: file).map { String(decoding: $0, as: UTF8.self) }
                ?? "# First-root fingerprints of the repositories review has read (see 'review governance status').\n"
            if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
            text += "\(fingerprint) \(identity)\n"
            try Data(text.utf8).write(to: url, options: .atomic)
            return text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        } catch {
            throw ReviewError(file: file, "cannot record the repository's trust root: \(error.localizedDescription)",
                              remedy: "make the folder writable, or set REVIEW_KNOWN_ROOTS to another file (or /dev/null to record nothing)")
        }
    }
}

/// Where a session's pin comes from, in order: `--trust-root`, `REVIEW_TRUST_ROOT`, the
/// known-roots file, the first root named by the latest signed publication on the published
/// ref; failing those, outside CI, the repository's first root is recorded in the known-roots
/// file on first use, with a notice.
enum TrustPins {
    /// How far back the published ref is searched for a signed publication.
    static let publicationSearchDepth = 64

    static func resolve(_ repository: Repository, options: ReviewSession.Options) throws(ReviewError) -> (pin: TrustPin?, notice: String?) {
        if let given = options.trustRoot { return (TrustPin(fingerprint: given, source: options.trustRootSource), nil) }
        let identity = options.knownRoots.map { _ in KnownRoots.identity(of: repository) }
        if let known = options.knownRoots, let identity, let recorded = try known.fingerprint(for: identity) {
            return (TrustPin(fingerprint: recorded.fingerprint, source: .knownRoots(file: known.file, line: recorded.line)), nil)
        }
        return try ReviewError.wrapping { () throws -> (pin: TrustPin?, notice: String?) in
            if let published = try publishedPin(repository) { return (published, nil) }
            guard let known = options.knownRoots, let identity, known.file != "/dev/null", !options.inCI,
                  let head = try? repository.headCommit() else { return (nil, nil) }
            // Only a repository with a root at HEAD has one to trust (the chain is read only then).
            let tree = try repository.commit(head).tree
            guard try repository.entry(at: TrustRoot.path, inTree: tree) != nil else { return (nil, nil) }
            let governed = try GovernedConfiguration.read(from: repository, revision: head, tree: tree, engine: HistoryEngine(usesCache: options.usesCaches),
                                                          partial: false, pinned: nil)
            guard let genesis = governed.chain.genesis, !genesis.cutByShallowClone,
                  let line = try known.record(genesis.root.fingerprint, for: identity) else { return (nil, nil) }
            let fingerprint = genesis.root.fingerprint
            return (TrustPin(fingerprint: fingerprint, source: .firstUse(file: known.file)),
                    "note: trusting the first root of \(identity), \(fingerprint), on first use; recorded in \(known.file), line \(line). Compare it with the fingerprint your team publishes: from now on a repository there with another root is an error")
        }
    }

    /// The first root named by the newest publication on the published ref that names one.
    static func publishedPin(_ repository: Repository) throws -> TrustPin? {
        try PublishedRecordLog.newestPublication(repository) { commit, _, _, statement in
            statement.predicate.firstRoot.flatMap(TrustRoot.normalised(fingerprint:))
                .map { TrustPin(fingerprint: $0, source: .publication(commit: commit.hex)) }
        }
    }
}
