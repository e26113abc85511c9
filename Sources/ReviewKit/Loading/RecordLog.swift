import Paths
import ReviewCore
import GitKit

/// The append-only review record: every sign-off record the checked branch's history ever
/// added, judged as it was first committed, with the commit that added it.
///
/// A record deleted, renamed, moved, edited, made executable or a symlink since is a
/// `record-tampered` finding, and the record keeps counting as committed (so deleting an
/// objection never clears it). A record that cannot be read is an `unreadable-record` finding.
/// Each record also learns whether a reviewers file in its adding commit's history had already
/// ended its signing key.
struct RecordLog {
    /// Readable records, by the slug directory they are filed under (its name's bytes).
    var records: [GitPath: [SignOffRecord]] = [:]
    /// Tampered and unreadable records, by slug directory.
    var findings: [GitPath: [Finding]] = [:]
    /// Whether the records' history is cut by a shallow clone.
    var truncated = false
    /// Which commits of the records' history descend from which (built once per read).
    var ancestry = CommitAncestry.line

    /// Reads the log as seen from the revision `governed` was read at.
    ///
    /// - Parameters:
    ///   - tree: the revision's tree.
    ///   - governed: the history of `Reviews/` and the configuration in force at each commit
    ///     (its reviewers name the keys records are checked with, and when keys ended).
    ///   - slugs: the slug directories wanted (all when `nil`).
    static func read(from repository: Repository, tree: ObjectID, governed: GovernedConfiguration,
                     slugs: Set<GitPath>?, usesCaches: Bool) throws -> RecordLog {
        let history = governed.history
        let reviewers = governed.current.reviewers
        var tip: [GitPath: TreeFile] = [:]
        for file in try repository.files(under: GitPath(ContentLayout.signOffsDirectory), inTree: tree) { tip[file.path] = file }

        // Every version each record path ever held, oldest first.
        let prefix = ContentLayout.signOffsDirectory + "/"
        var versions: [GitPath: [(version: DirectoryHistory.Version, position: Int)]] = [:]
        for (version, position) in history.firstHeld where version.path.hasPrefix(prefix) {
            if let slugs, !slugs.contains(slugDirectory(of: version.path)) { continue }
            versions[version.path, default: []].append((version, position))
        }

        let commits = history.commits
        var log = RecordLog(truncated: history.reachedShallowBoundary,
                            ancestry: commits.count == 0 ? .line : CommitAncestry(count: commits.count, parents: { commits.parents($0) }))
        // Every record file at the revision must be one the history read shows: the history comes
        // from an index under the git directory that a job running as the same user can write,
        // and a cache never decides (issue 31). One it does not show fails closed.
        for (path, file) in tip where path.hasSuffix(".yml") && path.firstByteOfName != UInt8(ascii: ".") {
            if let slugs, !slugs.contains(slugDirectory(of: path)) { continue }
            guard !(versions[path]?.contains { $0.version.blob == file.id } ?? false) else { continue }
            log.findings[slugDirectory(of: path), default: []].append(Finding(.historyMissing, path: path,
                "this record is at \(ContentLayout.signOffsDirectory) but not in the history review read, so when it was added cannot be known: the history index under the git directory is damaged or was changed; delete <git dir>/review/ and run again"))
        }
        var ended = KeyEnding(history: history, reviewersAt: governed.reviewersAt, lists: governed.reviewerLists, ancestry: log.ancestry)
        // Records parsed and verified by an earlier run come from the cache (a full read only:
        // for a few articles, loading it costs more than it saves). The others are read on
        // this thread (libgit2 handles are not shared), then parsed and checked against the
        // key reviewers.yml lists on all cores.
        let keys = Dictionary(reviewers.map { ($0.id, $0.publicKey) }, uniquingKeysWith: { first, _ in first })
        let usesCache = usesCaches && slugs == nil
        var cache = usesCache ? RecordCache.load(repository) : RecordCache()
        var parsedByPath: [GitPath: (Result<SignOff, Finding>, verified: Bool)] = [:]
        var toParse: [(path: GitPath, blob: ObjectID, bytes: [UInt8])] = []
        // Records the cache has parsed: their signatures are still checked here (a cache may
        // say where to look, never what counts: one job on a shared runner can write another's).
        var toVerify: [(path: GitPath, signOff: SignOff)] = []
        var used: Set<ObjectID> = []
        for (path, held) in versions {
            guard let first = held.min(by: { $0.position < $1.position }), first.version.kind == .blob || first.version.kind == .executable,
                  path.hasSuffix(".yml"), path.firstByteOfName != UInt8(ascii: ".") else { continue }
            let blob = first.version.blob
            used.insert(blob)
            if let hit = cache[blob] {
                toVerify.append((path, hit.signOff))
            } else {
                toParse.append((path, blob, try repository.blob(blob)))
            }
        }
        let parsed = toParse.parallelMap { item -> (Result<SignOff, Finding>, verified: Bool) in
            let result = SignOffParser.parse(path: item.path, bytes: item.bytes)
            guard case .success(let signOff) = result, let key = keys[signOff.reviewer] else { return (result, false) }
            return (result, signOff.isSigned(by: key))
        }
        let verifiedHits = toVerify.parallelMap { item in keys[item.signOff.reviewer].map { item.signOff.isSigned(by: $0) } ?? false }
        for (item, verified) in zip(toVerify, verifiedHits) { parsedByPath[item.path] = (.success(item.signOff), verified) }
        for (item, (result, verified)) in zip(toParse, parsed) {
            parsedByPath[item.path] = (result, verified)
            if case .success(let signOff) = result {
                cache.insert(RecordCodec.Entry(signOff: signOff), for: item.blob)
            }
        }
        if usesCache {
            cache.keep(only: used)
            cache.save(repository)
        }
        // A record the configuration acknowledges (its path and first bytes' SHA-256) keeps its
        // finding, as a warning: it never counts, and no longer blocks.
        let acknowledged = governed.current.acknowledgedRecords
        func judged(_ finding: Finding, blob: ObjectID) throws -> Finding {
            guard !acknowledged.isEmpty,
                  acknowledged.contains(AcknowledgedRecords.Entry(path: finding.path, sha256: SignOff.sha256Hex(try repository.blob(blob)))) else {
                return finding
            }
            var finding = finding
            finding.severityOverride = .warning
            finding.message += "; acknowledged in \(AcknowledgedRecords.path): it never counts, and no longer blocks"
            return finding
        }
        for (path, held) in versions.sorted(by: { $0.key < $1.key }) {
            guard path.hasSuffix(".yml"), path.firstByteOfName != UInt8(ascii: ".") else { continue }
            let ordered = held.sorted { $0.position < $1.position }
            let (original, position) = ordered[0]
            let added = history.commits.isBoundary[position] ? nil : history.commits.ids[position]
            let addedText = added.map { "commit \($0.short)" } ?? "a commit beyond the shallow clone's history"
            let slug = slugDirectory(of: path)
            if let problem = tampering(original, now: tip[path], later: ordered.dropFirst().first.map { history.commits.ids[$0.position] }) {
                log.findings[slug, default: []].append(try judged(Finding(
                    .recordTampered, path: path,
                    "this sign-off record, added in \(addedText), \(problem); records are never removed or changed, and it still counts as committed; restore it"
                        + (added.map { " with 'git checkout \($0.short) -- \(path)'" } ?? "")), blob: original.blob))
            }
            guard original.kind == .blob || original.kind == .executable else {
                log.findings[slug, default: []].append(try judged(Finding(.unreadableRecord, path: path,
                                                                         "a \(original.kind) added in \(addedText) is not a sign-off record and never counts"),
                                                                 blob: original.blob))
                continue
            }
            guard let (result, verified) = parsedByPath[path] else { continue }
            switch result {
            case .success(let signOff):
                var record = SignOffRecord(path: path, signOff: signOff, position: position, addedBy: added?.hex,
                                           addedTime: added == nil ? nil : history.commits.times[position])
                record.introductions = history.introducedAt[original] ?? [position]
                if let key = keys[signOff.reviewer] {
                    if let ending = ended.ending(id: signOff.reviewer, key: key, introductions: record.introductions) {
                        record.keyEndedBy = ending.commit.hex
                        record.madeBesideEnding = ending.concurrent
                    }
                    if verified { record.verifiedWith = key }
                }
                log.records[slug, default: []].append(record)
            case .failure(var finding):
                finding.message += " (added in \(addedText)); it does not count, and it stays in the record: a new decision needs a new record"
                log.findings[slug, default: []].append(try judged(finding, blob: original.blob))
            }
        }
        // Records whose paths read alike (each counts on its own; both are flagged).
        for finding in ConfusablePathRule.findings(tip.keys.filter { $0.hasPrefix(prefix) }, what: "sign-off record") {
            log.findings[slugDirectory(of: finding.path), default: []].append(finding)
        }
        return log
    }

    /// What happened to a record since it was committed, or `nil` when it is still in place.
    private static func tampering(_ original: DirectoryHistory.Version, now: TreeFile?, later: ObjectID?) -> String? {
        guard let now else { return "was deleted, renamed or moved since" }
        if now.kind != original.kind {
            return now.kind == .symlink ? "was replaced by a symlink" : "had its file mode changed (now \(now.kind))"
        }
        if now.id != original.blob { return "was edited" + (later.map { " in commit \($0.short)" } ?? "") }
        return nil
    }

    /// The name of the folder a record is filed in (`Reviews/signoffs/<this>/…`), as bytes.
    static func slugDirectory(of path: GitPath) -> GitPath {
        path.parent.lastComponent
    }
}

/// When a reviewers file in history ended a key's validity: the reviewer removed, their key
/// replaced, a `valid-until` already past at a commit, or one set to that commit's day or
/// earlier. A record counts only if it was made before such an ending on every path: one of the
/// commits that introduced it is an ancestor of the ending, whatever time it claims. Computed per
/// key on first use, over all commits once.
private struct KeyEnding {
    let history: DirectoryHistory
    /// Per position: index into `lists` (the reviewers in force there), or -1 when none are listed.
    let reviewersAt: [Int32]
    let lists: [[Reviewer]?]
    /// Per reviewer id: the key computed for, and per position the ending commit's position or -1.
    private var endings: [String: (key: [UInt8], ended: [Int32])] = [:]

    /// Which commits descend from which.
    private let ancestry: CommitAncestry

    init(history: DirectoryHistory, reviewersAt: [Int32], lists: [[Reviewer]?], ancestry: CommitAncestry) {
        self.history = history
        self.reviewersAt = reviewersAt
        self.lists = lists
        self.ancestry = ancestry
    }

    /// The commit that ended `key` in the revision's history, unless the record was made before
    /// it on every path: one of the commits that introduced the record is an ancestor of the
    /// ending (issue 31: a record on a branch forked before the key ended, back-dated and merged
    /// after it in either direction, was not). `concurrent` says the record was made beside the
    /// ending rather than after it.
    mutating func ending(id: String, key: [UInt8], introductions: [Int]) -> (commit: ObjectID, concurrent: Bool)? {
        if endings[id]?.key != key { endings[id] = (key, compute(id: id, key: key)) }
        guard let tip = history.commits.ids.indices.last else { return nil }
        let at = Int(endings[id]!.ended[tip])
        guard at >= 0, !introductions.contains(where: { ancestry.isAncestor($0, of: at) }) else { return nil }
        let after = introductions.allSatisfy { ancestry.isAncestor(at, of: $0) }
        return (history.commits.ids[at], !after)
    }

    /// Per position: the position of the first commit in its history that ended the key, or -1.
    private func compute(id: String, key: [UInt8]) -> [Int32] {
        let count = history.commits.count
        var seen = [Bool](repeating: false, count: count)
        var ended = [Int32](repeating: -1, count: count)
        var until = [Day??](repeating: nil, count: count)  // the key's valid-until at each commit, when listed
        for position in 0..<count {
            let parents = history.commits.parents(position)
            var wasSeen = false
            var endedAt: Int32 = -1
            for parent in parents.map(Int.init) {
                wasSeen = wasSeen || seen[parent]
                if ended[parent] >= 0 && (endedAt < 0 || ended[parent] < endedAt) { endedAt = ended[parent] }
            }
            let day = Day(secondsSinceEpoch: history.commits.times[position])
            // The reviewers listed at this commit: none when it has no reviewers file; `nil`
            // (no information) when the file does not parse.
            var listing: [Reviewer]?
            if position < reviewersAt.count { listing = reviewersAt[position] < 0 ? [] : lists[Int(reviewersAt[position])] }
            var isSeen = wasSeen
            if let reviewers = listing {
                if let entry = reviewers.first(where: { $0.id == id && $0.publicKey == key }) {
                    isSeen = true
                    until[position] = .some(entry.validUntil)
                    // Set at this commit: the first parent did not list this same valid-until.
                    let setHere = parents.first.map { parent in until[Int(parent)].map { $0 != entry.validUntil } ?? true } ?? true
                    if let last = entry.validUntil, last < day || (last <= day && setHere) {
                        if endedAt < 0 { endedAt = Int32(position) }
                    }
                } else if wasSeen, endedAt < 0 {
                    // Removed, or its key replaced.
                    endedAt = Int32(position)
                }
            }
            seen[position] = isSeen
            ended[position] = endedAt
        }
        return ended
    }
}
