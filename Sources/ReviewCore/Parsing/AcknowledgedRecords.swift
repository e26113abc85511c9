import Foundation
import Paths

/// `Reviews/acknowledged-records`: record files that cannot count (a malformed file a pusher
/// committed, or one deleted since) and that the configuration acknowledges, by path and the
/// SHA-256 of the bytes first committed there. Such a record still never counts, and its finding
/// stays in every report, but as a warning: it no longer holds its article off the site or
/// fails `check` and `verify` for good (issue 31). Part of the signed configuration where a root
/// governs (a threshold of governance keys clears it); in an ungoverned repository, whoever
/// commits the file does.
public enum AcknowledgedRecords {
    public static let path: GitPath = "Reviews/acknowledged-records"

    public struct Entry: Sendable, Hashable {
        public var path: GitPath
        /// Lowercase hex SHA-256 of the record's bytes as first committed.
        public var sha256: String

        public init(path: GitPath, sha256: String) {
            self.path = path
            self.sha256 = sha256
        }
    }

    /// One `<sha256> <path>` per line (the path as the record's file is named); `#` starts a comment.
    /// - Throws: ``ReviewError`` naming the line of anything else.
    public static func parse(_ bytes: [UInt8], file: String = path.text) throws(ReviewError) -> Set<Entry> {
        var out: Set<Entry> = []
        for (n, line) in IgnoreRevisions.lines(bytes) {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let digest = parts.first?.lowercased() ?? ""
            guard parts.count == 2, digest.utf8.count == 64, digest.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }),
                  parts[1].hasPrefix(ContentLayout.signOffsDirectory + "/") else {
                throw ReviewError(file: file, line: n, "'\(line)' is not '<sha256> <record path>'",
                                  remedy: "write the record's SHA-256 (sha256sum FILE), a space and its path under \(ContentLayout.signOffsDirectory)/, one per line")
            }
            out.insert(Entry(path: GitPath(parts[1]), sha256: digest))
        }
        return out
    }
}
