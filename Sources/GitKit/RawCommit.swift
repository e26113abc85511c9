import CGit2

/// What the history engine needs from a commit, parsed straight from its raw object.
struct RawCommit: Sendable {
    var tree: ObjectID
    var parents: [ObjectID]
    var author: Signature
    var committer: Signature
    /// The first line of the message.
    var summary: String
    /// The message's `Co-authored-by:` addresses (``CoAuthors``).
    var coAuthors: [String] = []

    /// Parses the `tree`, `parent`, `author` and `committer` headers and the summary line.
    ///
    /// - Throws: ``RepositoryError/corruptObject(_:_:)`` naming the commit when a header is malformed.
    static func parse(_ id: ObjectID, database: ObjectDatabase) throws(RepositoryError) -> RawCommit {
        let object = try database.read(id, expected: GIT_OBJECT_COMMIT)
        return try object.withBytes { (bytes: UnsafeRawBufferPointer) throws(RepositoryError) -> RawCommit in
            try parse(bytes, id: id)
        }
    }

    /// Parses a commit object's bytes (`id` names it in errors).
    static func parse(_ bytes: UnsafeRawBufferPointer, id: ObjectID) throws(RepositoryError) -> RawCommit {
        var tree: ObjectID?
        var parents: [ObjectID] = []
        var author: Signature?
        var committer: Signature?
        var lineStart = 0
        var inHeaders = true
        var summary = ""
        while lineStart < bytes.count {
            var lineEnd = lineStart
            while lineEnd < bytes.count, bytes[lineEnd] != 0x0a { lineEnd += 1 }
            let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd])
            lineStart = lineEnd + 1
            if inHeaders {
                if line.isEmpty { inHeaders = false; continue }
                if line.starts(with: "tree ".utf8), line.count == 45 {
                    tree = ObjectID(hex: String(decoding: line.dropFirst(5), as: UTF8.self))
                } else if line.starts(with: "parent ".utf8) {
                    guard line.count == 47, let parent = ObjectID(hex: String(decoding: line.dropFirst(7), as: UTF8.self)) else {
                        throw .corruptObject(id, "malformed parent line")
                    }
                    parents.append(parent)
                } else if line.starts(with: "author ".utf8) {
                    // The first header counts, as git reads it: a second one cannot hide who wrote it.
                    if author == nil { author = signature(line.dropFirst(7)) }
                } else if line.starts(with: "committer ".utf8) {
                    if committer == nil { committer = signature(line.dropFirst(10)) }
                }
            } else if !line.isEmpty {
                summary = String(decoding: line, as: UTF8.self)
                break
            }
        }
        // Trailers follow the summary line.
        let coAuthors = lineStart < bytes.count ? CoAuthors.emails(in: Array(bytes[lineStart...])[...]) : []
        guard let tree else { throw .corruptObject(id, "commit has no tree") }
        let unknown = Signature(name: "", email: "", time: 0)
        return RawCommit(tree: tree, parents: parents, author: author ?? committer ?? unknown,
                         committer: committer ?? author ?? unknown, summary: summary, coAuthors: coAuthors)
    }

    /// `Name <email> 1700000000 +0200`; `nil` when it does not have that shape.
    private static func signature(_ text: Slice<UnsafeRawBufferPointer>) -> Signature? {
        guard let open = text.firstIndex(of: UInt8(ascii: "<")), let close = text.lastIndex(of: UInt8(ascii: ">")), open < close else { return nil }
        var nameEnd = open
        while nameEnd > text.startIndex, text[nameEnd - 1] == 0x20 { nameEnd -= 1 }
        let name = String(decoding: text[text.startIndex..<nameEnd], as: UTF8.self)
        let email = String(decoding: text[(open + 1)..<close], as: UTF8.self)
        let rest = String(decoding: text[(close + 1)...], as: UTF8.self).split(separator: " ")
        guard let time = rest.first.flatMap({ Int64($0) }) else { return Signature(name: name, email: email, time: 0) }
        var offset: Int32 = 0
        if rest.count > 1, let zone = Int32(rest[1].dropFirst()), rest[1].count == 5 {
            offset = (zone / 100 * 60 + zone % 100) * (rest[1].hasPrefix("-") ? -1 : 1)
        }
        // Held to the valid ranges, as libgit2's are (``Signature``): no later arithmetic on a
        // hostile date may overflow.
        return Signature(name: name, email: email, time: min(max(time, Signature.validTimes.lowerBound), Signature.validTimes.upperBound),
                         offsetMinutes: min(max(offset, Signature.validOffsets.lowerBound), Signature.validOffsets.upperBound))
    }
}
