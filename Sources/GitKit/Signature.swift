import CGit2
#if canImport(Glibc)
import Glibc
#endif

/// Who made a commit and when, copied out of libgit2's `git_signature`.
public struct Signature: Sendable, Hashable {
    public var name: String
    public var email: String
    /// Seconds since 1970-01-01T00:00:00Z.
    public var time: Int64
    /// The author's or committer's UTC offset, in minutes.
    public var offsetMinutes: Int32

    /// Commit times review accepts: years 1 to 9999 (git's own parser allows any 64-bit
    /// number, which date arithmetic must never see).
    public static let validTimes: ClosedRange<Int64> = -62_135_596_800...253_402_300_799
    /// UTC offsets of real time zones (git's own `+HHMM` allows up to ±99:99).
    public static let validOffsets: ClosedRange<Int32> = -(26 * 60)...(26 * 60)

    public init(name: String, email: String, time: Int64, offsetMinutes: Int32 = 0) {
        self.name = name
        self.email = email
        self.time = time
        self.offsetMinutes = offsetMinutes
    }

    init(_ raw: UnsafePointer<git_signature>) {
        name = String(cString: raw.pointee.name)
        email = String(cString: raw.pointee.email)
        // Held to the valid ranges: a hostile commit's date must never overflow later arithmetic.
        time = min(max(Int64(raw.pointee.when.time), Self.validTimes.lowerBound), Self.validTimes.upperBound)
        offsetMinutes = min(max(Int32(raw.pointee.when.offset), Self.validOffsets.lowerBound), Self.validOffsets.upperBound)
    }

    /// Calls `body` with a libgit2 signature that lives only for the call.
    ///
    /// Wraps `git_signature_new` and `git_signature_free`.
    func withRaw<R>(_ body: (UnsafePointer<git_signature>) throws(RepositoryError) -> R) throws(RepositoryError) -> R {
        var sig: UnsafeMutablePointer<git_signature>?
        let result = git_signature_new(&sig, name, email, git_time_t(time), Int32(offsetMinutes))
        guard result >= 0, let sig else { throw .git(GitError.last(code: result)) }
        defer { git_signature_free(sig) }
        return try body(sig)
    }
}

/// A commit's metadata, copied out of libgit2.
public struct CommitInfo: Sendable, Hashable {
    public var id: ObjectID
    public var tree: ObjectID
    public var parents: [ObjectID]
    public var author: Signature
    public var committer: Signature
    public var message: String
    /// Addresses named by the message's `Co-authored-by:` trailers, lowercased.
    public var coAuthors: [String]

    public init(id: ObjectID, tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature, message: String,
                coAuthors: [String]? = nil) {
        self.id = id
        self.tree = tree
        self.parents = parents
        self.author = author
        self.committer = committer
        self.message = message
        self.coAuthors = coAuthors ?? CoAuthors.emails(in: Array(message.utf8)[...])
    }

    /// The first line of the message.
    public var summary: String {
        String(message.prefix { $0 != "\n" })
    }
}

extension Repository {
    /// The author configured for this repository (`user.name`, `user.email`) at `time`, or
    /// `nil` when none is configured. Wraps `git_signature_default`.
    public func configuredSignature(time: Int64) -> Signature? {
        var sig: UnsafeMutablePointer<git_signature>?
        guard git_signature_default(&sig, raw) >= 0, let sig else {
            git_error_clear()
            return nil
        }
        defer { git_signature_free(sig) }
        var signature = Signature(sig)
        signature.time = time
        signature.offsetMinutes = 0
        return signature
    }
}

/// `Co-authored-by: Name <email>` trailers (GitHub's and GitLab's way of naming further authors).
public enum CoAuthors {
    /// Whether `message` may hold a `Co-authored-by:` line (a colon after those letters, in any
    /// case): most messages have none, and are then not copied and split.
    static func mayHaveTrailer(_ message: Slice<UnsafeRawBufferPointer>) -> Bool {
        let key = Array("co-authored-by".utf8)
        guard let base = message.base.baseAddress else { return false }
        // Each colon is found with `memchr` (a message is mostly prose without one).
        var i = message.startIndex + key.count
        while i < message.endIndex {
            guard let colon = memchr(base + i, Int32(UInt8(ascii: ":")), message.endIndex - i) else { return false }
            i = base.distance(to: UnsafeRawPointer(colon))
            var k = 0
            while k < key.count, message[i - key.count + k] | 0x20 == key[k] { k += 1 }
            if k == key.count { return true }
            i += 1
        }
        return false
    }

    /// The addresses of every `Co-authored-by:` line in a commit message (matched without
    /// regard to case, as GitHub does), lowercased, in order, without repeats.
    public static func emails(in message: ArraySlice<UInt8>) -> [String] {
        message.withUnsafeBytes { emails(in: $0[...]) }
    }

    /// ``emails(in:)`` of a message read in place (a commit object's bytes), a line at a time.
    static func emails(in message: Slice<UnsafeRawBufferPointer>) -> [String] {
        var out: [String] = []
        let key = Array("co-authored-by:".utf8)
        var lineStart = message.startIndex
        while lineStart < message.endIndex {
            var lineEnd = lineStart
            while lineEnd < message.endIndex, message[lineEnd] != 0x0A { lineEnd += 1 }
            defer { lineStart = lineEnd + 1 }
            var rest = message[lineStart..<lineEnd].drop { $0 == 0x20 || $0 == 0x09 }
            guard rest.count > key.count,
                  zip(rest.prefix(key.count), key).allSatisfy({ $0 | 0x20 == $1 }) else { continue }
            rest = rest.dropFirst(key.count)
            guard let open = rest.lastIndex(of: UInt8(ascii: "<")), let close = rest.lastIndex(of: UInt8(ascii: ">")),
                  open < close else { continue }
            let email = String(decoding: rest[(open + 1)..<close].filter { $0 != 0x20 && $0 != 0x09 }, as: UTF8.self).lowercased()
            if !email.isEmpty, !out.contains(email) { out.append(email) }
        }
        return out
    }
}
