import Paths
import GitKit
import ReviewCore

/// The record log a signed publication attests, and the check that the branch still holds the
/// latest one (issue 31, item 3).
enum PublishedRecordLog {
    /// Every sign-off record file the history of `Reviews/` ever held, as first held, in history
    /// order (then by path): what a publication attests, before the SHA-256s are read.
    static func held(_ governed: GovernedConfiguration) -> [(path: GitPath, blob: ObjectID)] {
        let prefix = ContentLayout.signOffsDirectory + "/"
        return governed.history.firstHeld
            .filter { version, _ in version.path.hasPrefix(prefix) && version.path.hasSuffix(".yml") && version.path.firstByteOfName != UInt8(ascii: ".") }
            .sorted { ($0.value, $0.key.path, $0.key.blob.hex) < ($1.value, $1.key.path, $1.key.blob.hex) }
            .map { ($0.key.path, $0.key.blob) }
    }

    /// The attestation of `held`, with each record's SHA-256 read from its blob.
    static func attestation(_ repository: Repository, held: [(path: GitPath, blob: ObjectID)]) throws -> RecordLogAttestation {
        RecordLogAttestation(entries: try held.map { record in
            RecordLogAttestation.Entry(path: record.path, gitBlob: record.blob.hex, sha256: SignOff.sha256Hex(try repository.blob(record.blob)))
        })
    }

    /// The newest publication on the published ref signed by a publisher key of `root`, with
    /// the commit holding it (searched back as far as ``TrustPins/publicationSearchDepth``).
    static func latestSigned(_ repository: Repository, root: TrustRoot) throws -> (statement: PublicationStatement, tree: ObjectID)? {
        guard !root.publishers.isEmpty else { return nil }
        var next = try repository.referenceTarget(ContentLayout.publishedReference)
        var depth = 0
        while let commitID = next, depth < TrustPins.publicationSearchDepth {
            let commit = try repository.commit(commitID)
            if let entry = try repository.entry(at: PublicationStatement.path, inTree: commit.tree),
               let envelope = SignedEnvelope.decode(try repository.blob(entry.id)), envelope.payloadType == PublicationStatement.payloadType,
               let statement = envelope.payloadBytes.flatMap(PublicationStatement.decode) {
                let keys = envelope.verifiedKeys()
                if root.publishers.contains(where: { keys.contains($0.publicKey) }) { return (statement, commit.tree) }
            }
            next = commit.parents.first
            depth += 1
        }
        return nil
    }

    /// `history-rewritten` findings for the branch at `revision`: empty when no signed
    /// publication is found, or the branch holds everything the latest one attests.
    static func rewriteFindings(_ repository: Repository, revision: ObjectID, governed: GovernedConfiguration,
                                held: [(path: GitPath, blob: ObjectID)]) throws -> [Finding] {
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

extension DirectoryHistory.Version {
    /// A record's path and blob id as a publication's record log names them.
    struct Key: Hashable {
        var path: GitPath
        var blob: String
    }
}
