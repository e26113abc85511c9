import Paths

/// Which of an article's revisions count as the same reviewed content: revisions that differ
/// only in the policy's `unreviewed-fields` (same body, same other front matter, in order).
///
/// The one place equivalence is decided: the state, `lastReviewed`, the revision a sign-off
/// counts for and the revision published all ask this. Revisions whose text is not known
/// (never read) are their own class.
public struct RevisionClasses: Sendable {
    /// The current revision's blob.
    public let current: String
    private let keys: [String: String]

    public init(_ facts: ArticleFacts, unreviewedFields: Set<String>) {
        current = facts.blob
        var keys: [String: String] = [:]
        // Only the current revision known (most articles): it is its own class; nothing to compare.
        if !unreviewedFields.isEmpty && !facts.revisions.isEmpty {
            // Revisions with the same reviewed content share the first such blob as their key.
            var byContent: [ReviewedContent: String] = [:]
            let known = [(facts.blob, facts.article)] + facts.revisions.map { ($0.key, $0.value.article) }.sorted { $0.0 < $1.0 }
            for (blob, article) in known {
                let content = ReviewedContent(article, unreviewedFields: unreviewedFields)
                if let first = byContent[content] {
                    keys[blob] = first
                } else {
                    byContent[content] = blob
                }
            }
        }
        self.keys = keys
    }

    /// The class of a blob, named by one of its members.
    public func key(_ blob: String) -> String { keys[blob] ?? blob }

    /// Whether a blob is the current revision or equivalent to it.
    public func isCurrent(_ blob: String) -> Bool { blob == current || key(blob) == key(current) }
}

/// An article's content as reviewers see it: the body and every front-matter field that is not
/// unreviewed, compared byte for byte (never by Unicode canonical equivalence).
private struct ReviewedContent: Hashable {
    let body: [UInt8]
    let fields: [[UInt8]]

    init(_ article: Article, unreviewedFields: Set<String>) {
        body = Array(article.body.utf8)
        fields = article.frontMatter.filter { !unreviewedFields.contains($0.key) }.map { Array("\($0.key.utf8.count):\($0.key)\($0.value.canonicalText)".utf8) }
    }
}
