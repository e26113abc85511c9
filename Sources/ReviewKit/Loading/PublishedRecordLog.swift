import Paths
import GitKit
import ReviewCore

/// The record log a signed publication attests, and the check that the branch still holds the
/// latest one (issue 31, item 3).
enum PublishedRecordLog {
    /// Every sign-off record file the history of `Reviews/` ever held, as first held, with the
    /// position of the commit that first held it (unordered: most runs only need it as a set).
    static func held(_ governed: GovernedConfiguration) -> [HeldRecord] {
        let prefix = ContentLayout.signOffsDirectory + "/"
        return governed.history.firstHeld.compactMap { version, position in
            guard version.path.hasPrefix(prefix), version.path.hasSuffix(".yml"), version.path.firstByteOfName != UInt8(ascii: ".") else { return nil }
            return HeldRecord(path: version.path, blob: version.blob, position: position)
        }
    }

    /// `held` in history order, then by path and blob: what a publication attests.
    static func ordered(_ held: [HeldRecord]) -> [HeldRecord] {
        held.sorted { a, b in
            if a.position != b.position { return a.position < b.position }
            if a.path != b.path { return a.path < b.path }
            return a.blob.hex < b.blob.hex
        }
    }

    /// The attestation of `held`, with each record's SHA-256 read from its blob.
    static func attestation(_ repository: Repository, held: [HeldRecord]) throws -> RecordLogAttestation {
        RecordLogAttestation(entries: try ordered(held).map { record in
            RecordLogAttestation.Entry(path: record.path, gitBlob: record.blob.hex, sha256: SignOff.sha256Hex(try repository.blob(record.blob)))
        })
    }

    /// Walks the published ref's first-parent line, newest first (as far back as
    /// ``TrustPins/publicationSearchDepth``), and returns the first answer `match` gives for a
    /// commit holding a readable publication statement.
    static func newestPublication<T>(_ repository: Repository,
                                     _ match: (ObjectID, ObjectID, SignedEnvelope, PublicationStatement) throws -> T?) throws -> T? {
        var next = try repository.referenceTarget(ContentLayout.publishedReference)
        var depth = 0
        while let commitID = next, depth < TrustPins.publicationSearchDepth {
            let commit = try repository.commit(commitID)
            if let entry = try repository.entry(at: PublicationStatement.path, inTree: commit.tree),
               let envelope = SignedEnvelope.decode(try repository.blob(entry.id)), envelope.payloadType == PublicationStatement.payloadType,
               let statement = envelope.payloadBytes.flatMap(PublicationStatement.decode),
               let found = try match(commitID, commit.tree, envelope, statement) {
                return found
            }
            next = commit.parents.first
            depth += 1
        }
        return nil
    }

    /// The newest publication on the published ref signed by a publisher key of `root`, with
    /// the tree holding it.
    static func latestSigned(_ repository: Repository, root: TrustRoot) throws -> (statement: PublicationStatement, tree: ObjectID)? {
        guard !root.publishers.isEmpty else { return nil }
        return try newestPublication(repository) { _, tree, envelope, statement in
            let keys = envelope.verifiedKeys()
            return root.publishers.contains(where: { keys.contains($0.publicKey) }) ? (statement, tree) : nil
        }
    }

    /// `history-rewritten` findings for the branch at `revision`: empty when no signed
    /// publication is found, or the branch holds everything the latest one attests.
    static func rewriteFindings(_ repository: Repository, revision: ObjectID, governed: GovernedConfiguration,
                                held: [HeldRecord]) throws -> [Finding] {
        guard let root = governed.chain.current?.root, let (statement, tree) = try latestSigned(repository, root: root) else { return [] }
        // The source still there: everything its history held, the branch's history holds too
        // (the log itself is a file the statement names, which 'verify' checks). Only a rewrite
        // needs the record-by-record comparison.
        if let source = ObjectID(hex: statement.predicate.source), repository.contains(source, in: revision) { return [] }
        var log: RecordLogAttestation?
        if statement.predicate.recordLog != nil, let entry = try repository.entry(at: RecordLogAttestation.path, inTree: tree) {
            log = RecordLogAttestation.parse(try repository.blob(entry.id))
        }
        let ever = Set(held.map { DirectoryHistory.Version.Key(path: $0.path, blob: $0.blob.hex) })
        return RewriteCheck.findings(statement: statement, log: log, sourceContained: false,
                                     held: { path, blob in ever.contains(.init(path: path, blob: blob)) },
                                     complete: !governed.history.reachedShallowBoundary)
    }
}

/// A record file the branch's history held: its path, blob and the position of the first commit holding it.
struct HeldRecord: Sendable {
    var path: GitPath
    var blob: ObjectID
    var position: Int
}

extension DirectoryHistory.Version {
    /// A record's path and blob id as a publication's record log names them.
    struct Key: Hashable {
        var path: GitPath
        var blob: String
    }
}
