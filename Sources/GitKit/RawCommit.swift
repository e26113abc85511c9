import CGit2
#if canImport(Glibc)
import Glibc
#endif

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
        guard let base = bytes.baseAddress else { throw .corruptObject(id, "commit has no tree") }
        while lineStart < bytes.count {
            // Lines are found with `memchr`, and a header by its first byte: a signed commit's
            // `gpgsig` header is dozens of lines none of the four begins.
            let lineEnd = memchr(base + lineStart, 0x0A, bytes.count - lineStart).map { base.distance(to: UnsafeRawPointer($0)) } ?? bytes.count
            let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<lineEnd])
            lineStart = lineEnd + 1
            if inHeaders {
                guard let first = line.first else { inHeaders = false; continue }
                switch first {
                case UInt8(ascii: "t") where line.count == 45 && line.starts(with: "tree ".utf8):
                    tree = ObjectID(hexBytes: line.dropFirst(5))
                case UInt8(ascii: "p") where line.starts(with: "parent ".utf8):
                    guard line.count == 47, let parent = ObjectID(hexBytes: line.dropFirst(7)) else {
                        throw .corruptObject(id, "malformed parent line")
                    }
                    parents.append(parent)
                case UInt8(ascii: "a") where line.starts(with: "author ".utf8):
                    // The first header counts, as git reads it: a second one cannot hide who wrote it.
                    if author == nil { author = signature(line.dropFirst(7)) }
                case UInt8(ascii: "c") where line.starts(with: "committer ".utf8):
                    if committer == nil { committer = signature(line.dropFirst(10)) }
                default:
                    break
                }
            } else if !line.isEmpty {
                summary = String(decoding: line, as: UTF8.self)
                break
            }
        }
        // Trailers follow the summary line.
        let coAuthors = lineStart < bytes.count && CoAuthors.mayHaveTrailer(bytes[lineStart...])
            ? CoAuthors.emails(in: bytes[lineStart...]) : []
        guard let tree else { throw .corruptObject(id, "commit has no tree") }
        let unknown = Signature(name: "", email: "", time: 0)
        return RawCommit(tree: tree, parents: parents, author: author ?? committer ?? unknown,
                         committer: committer ?? author ?? unknown, summary: summary, coAuthors: coAuthors)
    }

    /// What `T(String(decoding: bytes, as: UTF8.self))` gives: an optional sign and at least one
    /// digit, `nil` on anything else or on overflow.
    static func integer<T: FixedWidthInteger>(_ type: T.Type, _ bytes: Slice<UnsafeRawBufferPointer>) -> T? {
        var i = bytes.startIndex
        var negative = false
        if i < bytes.endIndex, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < bytes.endIndex else { return nil }
        var value: T = 0
        while i < bytes.endIndex {
            guard bytes[i] >= 0x30, bytes[i] <= 0x39 else { return nil }
            let digit = T(bytes[i] - 0x30)
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            value = next
            i += 1
        }
        return value
    }

    /// `Name <email> 1700000000 +0200`; `nil` when it does not have that shape.
    private static func signature(_ text: Slice<UnsafeRawBufferPointer>) -> Signature? {
        guard let open = text.firstIndex(of: UInt8(ascii: "<")), let close = text.lastIndex(of: UInt8(ascii: ">")), open < close else { return nil }
        var nameEnd = open
        while nameEnd > text.startIndex, text[nameEnd - 1] == 0x20 { nameEnd -= 1 }
        let name = String(decoding: text[text.startIndex..<nameEnd], as: UTF8.self)
        let email = String(decoding: text[(open + 1)..<close], as: UTF8.self)
        // ` 1700000000 +0200`, read from the bytes as `String.split(separator: " ")` and the
        // integer initialisers would read them (a sign, digits, nil on overflow), without them.
        var i = close + 1
        func token() -> Range<Int>? {
            while i < text.endIndex, text[i] == 0x20 { i += 1 }
            let start = i
            while i < text.endIndex, text[i] != 0x20 { i += 1 }
            return start < i ? start..<i : nil
        }
        guard let first = token(), let time = Self.integer(Int64.self, text[first]) else {
            return Signature(name: name, email: email, time: 0)
        }
        var offset: Int32 = 0
        if let zoneToken = token(), zoneToken.count == 5,
           let zone = Self.integer(Int32.self, text[(zoneToken.lowerBound + 1)..<zoneToken.upperBound]) {
            offset = (zone / 100 * 60 + zone % 100) * (text[zoneToken.lowerBound] == UInt8(ascii: "-") ? -1 : 1)
        }
        // Held to the valid ranges, as libgit2's are (``Signature``): no later arithmetic on a
        // hostile date may overflow.
        return Signature(name: name, email: email, time: min(max(time, Signature.validTimes.lowerBound), Signature.validTimes.upperBound),
                         offsetMinutes: min(max(offset, Signature.validOffsets.lowerBound), Signature.validOffsets.upperBound))
    }
}
