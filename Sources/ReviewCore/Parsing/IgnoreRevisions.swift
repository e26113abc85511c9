import Paths
import Foundation

/// `Reviews/ignore-revisions`: commits that changed articles mechanically (a bulk conversion,
/// a reformat), like git's `.git-blame-ignore-revs`. Such a commit is never an article's last
/// change and never trips `last-updated-not-bumped`; approvals still bind to exact bytes, so
/// an ignored commit that changed an approved article still leaves it in review. Part of the
/// signed configuration where a root governs.
public enum IgnoreRevisions {
    /// The lines of a list file that say something, with their 1-based numbers: `#` starts a
    /// comment, and blank lines are skipped (this file and ``AcknowledgedRecords``).
    static func lines(_ bytes: [UInt8]) -> [(number: Int, text: String)] {
        String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated().compactMap { n, raw in
            let line = raw.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
            return line.isEmpty ? nil : (n + 1, line)
        }
    }

    public static let path: GitPath = "Reviews/ignore-revisions"

    /// One full commit id (40 hex digits) per line; `#` starts a comment.
    /// - Throws: ``ReviewError`` naming the line of anything else.
    public static func parse(_ bytes: [UInt8], file: String = path.text) throws(ReviewError) -> Set<String> {
        var out: Set<String> = []
        for (n, line) in lines(bytes) {
            let id = line.lowercased()
            guard id.utf8.count == 40, id.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
                throw ReviewError(file: file, line: n, "'\(line)' is not a full commit id",
                                  remedy: "write one 40-digit commit id per line (git rev-parse COMMIT prints it)")
            }
            out.insert(id)
        }
        return out
    }
}
