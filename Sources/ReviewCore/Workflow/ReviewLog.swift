import Paths

/// `review log`: an article's edits and sign-offs, interleaved, newest first (``LogReporter`` prints them).
public enum ReviewLog {
    public struct Entry: Sendable, Encodable, Equatable {
        /// Seconds since the epoch: the commit time of an edit, the signing time of a sign-off.
        public var time: Int64
        public var article: GitPath
        /// `created`, `edited`, `moved`, `removed`, `approved` or `requested-changes`.
        public var action: String
        public var who: String
        /// The article's blob after the edit, or the one the sign-off names.
        public var revision: String?
        public var commit: String?
        public var role: String?
        public var comment: String?

        enum CodingKeys: String, CodingKey { case time, article, action, who, revision, commit, role, comment }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(Timestamp.format(time), forKey: .time)
            try c.encode(article, forKey: .article)
            try c.encode(action, forKey: .action)
            try c.encode(who, forKey: .who)
            try c.encode(revision, forKey: .revision)
            try c.encode(commit, forKey: .commit)
            try c.encode(role, forKey: .role)
            try c.encode(comment, forKey: .comment)
        }
    }

    public static func entries(_ articles: [ArticleFacts]) -> [Entry] {
        var entries: [Entry] = []
        for facts in articles {
            let path = facts.article.path
            for (i, change) in facts.changes.enumerated() {
                let action = change.blobAfter == nil ? "removed" : i == facts.changes.count - 1 ? "created"
                    : change.changedContent ? "edited" : "moved"
                entries.append(Entry(time: change.time, article: path, action: action, who: change.authorName,
                                     revision: change.blobAfter, commit: change.commit, role: nil, comment: nil))
            }
            for record in facts.signOffs {
                let s = record.signOff
                entries.append(Entry(time: s.timestamp, article: path, action: s.decision == .approve ? "approved" : "requested-changes",
                                     who: s.reviewer, revision: s.blob, commit: nil, role: s.role, comment: s.comment.isEmpty ? nil : s.comment))
            }
        }
        return entries.sorted { ($0.time, $0.article, $0.action) > ($1.time, $1.article, $1.action) }
    }
}
