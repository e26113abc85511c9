import Paths
import SystemCrypto

/// The record log as a signed publication attests it: every sign-off record the published
/// branch's history ever held (its path, git blob id and SHA-256), in history order. It lies on
/// the published ref beside the statement, which names its digest, so a later rewrite of the
/// branch that erases a decision (a `request-changes` filtered out, a force-push) is seen.
///
/// Bytes: the line `review-record-log/1`, then per record `<git blob> <sha256> <path>` ended
/// by a NUL (a path is bytes, and may hold any byte but NUL).
public struct RecordLogAttestation: Sendable, Equatable {
    public struct Entry: Sendable, Hashable {
        public var path: GitPath
        public var gitBlob: String
        public var sha256: String

        public init(path: GitPath, gitBlob: String, sha256: String) {
            self.path = path
            self.gitBlob = gitBlob
            self.sha256 = sha256
        }
    }

    public var entries: [Entry]

    /// Where it lies on the published ref.
    public static let path: GitPath = "record-log"
    static let header = Array("review-record-log/1\n".utf8)

    public init(entries: [Entry]) { self.entries = entries }

    public var bytes: [UInt8] {
        var out = Self.header
        for entry in entries {
            out += Array("\(entry.gitBlob) \(entry.sha256) ".utf8)
            entry.path.withBytes { out += $0 }
            out.append(0)
        }
        return out
    }

    /// Hex SHA-256 of ``bytes``: what the statement signs.
    public var digest: String { SHA256.hash(data: bytes).hex }

    /// Reads ``bytes`` back; `nil` when they are not a record log.
    public static func parse(_ bytes: [UInt8]) -> RecordLogAttestation? {
        guard bytes.starts(with: header) else { return nil }
        var entries: [Entry] = []
        var rest = bytes[header.count...]
        let hex = Set(Array("0123456789abcdef".utf8))
        while !rest.isEmpty {
            guard let end = rest.firstIndex(of: 0), end - rest.startIndex > 40 + 1 + 64 + 1 else { return nil }
            let line = rest[rest.startIndex..<end]
            let blob = line.prefix(40), sha = line.dropFirst(41).prefix(64)
            guard blob.allSatisfy(hex.contains), sha.allSatisfy(hex.contains), line[line.startIndex + 40] == 0x20,
                  line[line.startIndex + 105] == 0x20 else { return nil }
            let path = Array(line.dropFirst(106))
            guard !path.isEmpty else { return nil }
            entries.append(Entry(path: GitPath(bytes: path), gitBlob: String(decoding: blob, as: UTF8.self),
                                 sha256: String(decoding: sha, as: UTF8.self)))
            rest = rest[(end + 1)...]
        }
        return RecordLogAttestation(entries: entries)
    }
}

/// Whether the branch still holds what the latest signed publication attests (issue 31, item
/// 3): its source commit, and every record of its record log. Pure: the caller reads history.
public enum RewriteCheck {
    /// - Parameters:
    ///   - statement: the latest publication signed by a publisher key of the root in force.
    ///   - log: its record log as the published ref holds it (`nil`: missing or unreadable).
    ///   - sourceContained: whether the branch's tip is the publication's source or descends from it.
    ///   - held: whether the branch's history ever held this record path with this blob.
    ///   - complete: whether that history is whole (not cut by a shallow clone).
    public static func findings(statement: PublicationStatement, log: RecordLogAttestation?, sourceContained: Bool,
                                held: (GitPath, String) -> Bool, complete: Bool) -> [Finding] {
        let predicate = statement.predicate
        let publication = "the signed publication of \(predicate.publishedOn) (made from commit \(predicate.source.prefix(7)))"
        let remedy = "restore the branch from a clone that still has it (git push --force-with-lease origin \(predicate.source.prefix(12)):<branch>); if the rewrite was meant, publish again from the new history with 'review publish --accept-rewrite --as PUBLISHER'"
        var findings: [Finding] = []
        if !sourceContained {
            findings.append(Finding(.historyRewritten, path: PublicationStatement.path,
                "the branch no longer contains commit \(predicate.source.prefix(12)), which \(publication) was made from: its history was rewritten, and a decision may have been erased; \(remedy)"))
        }
        guard let digest = predicate.recordLog else { return findings }
        guard let log, log.digest == digest else {
            findings.append(Finding(.historyRewritten, path: RecordLogAttestation.path,
                "the record log on \(ContentLayout.publishedReference) is missing or is not the one \(publication) signed, so whether the branch still holds every attested decision cannot be checked; publish again with 'review publish --as PUBLISHER'"))
            return findings.sorted()
        }
        guard complete else { return findings.sorted() }
        for entry in log.entries where !held(entry.path, entry.gitBlob) {
            findings.append(Finding(.historyRewritten, path: entry.path,
                "this sign-off record (blob \(entry.gitBlob.prefix(7)), sha256 \(entry.sha256.prefix(12))…), attested by \(publication), is gone from the branch's history: a rewrite erased it, and the decision it holds still stands; \(remedy)"))
        }
        return findings.sorted()
    }
}
